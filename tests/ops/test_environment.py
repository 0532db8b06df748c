"""Strict environment: a misspelt value or an unknown STEGVIS_* variable stops the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from stegvis.ops.environment import ConfigurationError, Environment
from tests.ops.conftest import production_environ, stegvis

KNOWN = {"STEGVIS_DEBUG", "STEGVIS_WORKERS", "SECRET_KEY", "STEGVIS_ALLOWED_HOSTS"}


def test_misspelt_boolean_names_the_variable():
    environment = Environment({"STEGVIS_DEBUG": "ture"}, KNOWN)
    with pytest.raises(ConfigurationError, match=r"STEGVIS_DEBUG='ture' is not a boolean"):
        environment.boolean("STEGVIS_DEBUG", False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), (" yes ", True), ("on", True),
     ("0", False), ("false", False), ("No", False), ("off", False), ("", False)],
)
def test_booleans_that_are_understood(value, expected):
    assert Environment({"STEGVIS_DEBUG": value}, KNOWN).boolean("STEGVIS_DEBUG", False) is expected


def test_unknown_stegvis_variable_is_named():
    environment = Environment({"STEGVIS_DEBGU": "1", "STEGVIS_DEBUG": "1", "HOME": "/"}, KNOWN)
    assert environment.unknown() == ["STEGVIS_DEBGU"]
    with pytest.raises(ConfigurationError, match="STEGVIS_DEBGU"):
        environment.check_unknown()


def test_file_variant_of_a_known_variable_is_known(tmp_path: Path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    environment = Environment({"SECRET_KEY_FILE": str(secret), "SECRET_KEY": "plain"}, KNOWN)
    environment.check_unknown()
    assert environment.string("SECRET_KEY") == "from-a-file"


def test_unreadable_file_is_named(tmp_path: Path):
    environment = Environment({"SECRET_KEY_FILE": str(tmp_path / "missing")}, KNOWN)
    with pytest.raises(ConfigurationError, match="SECRET_KEY_FILE: cannot read"):
        environment.string("SECRET_KEY")


def test_whole_numbers_are_checked():
    assert Environment({"STEGVIS_WORKERS": "3"}, KNOWN).integer("STEGVIS_WORKERS", 1) == 3
    with pytest.raises(ConfigurationError, match="STEGVIS_WORKERS='three' is not a whole number"):
        Environment({"STEGVIS_WORKERS": "three"}, KNOWN).integer("STEGVIS_WORKERS", 1)
    with pytest.raises(ConfigurationError, match="STEGVIS_WORKERS=0 is too small"):
        Environment({"STEGVIS_WORKERS": "0"}, KNOWN).integer("STEGVIS_WORKERS", 1, minimum=1)


def test_reading_an_unregistered_variable_is_a_programming_error():
    with pytest.raises(ConfigurationError, match="not registered"):
        Environment({}, KNOWN).string("STEGVIS_NEW_SETTING")


def test_every_registered_variable_is_documented():
    guide = (Path(settings.BASE_DIR).parents[1] / "docs" / "operations.md").read_text()
    for name in settings.ENVIRONMENT_VARIABLES:
        assert f"`{name}`" in guide, f"{name} is not documented in docs/operations.md"


# --- the real start, in a subprocess -------------------------------------------------------


def test_start_stops_on_a_misspelt_boolean(dev_environ):
    result = stegvis("check", env={**dev_environ, "STEGVIS_DEBUG": "ture"})
    assert result.returncode != 0
    assert "Stegvis cannot start: STEGVIS_DEBUG='ture' is not a boolean" in result.stderr


def test_start_stops_on_an_unknown_variable(dev_environ):
    result = stegvis("check", env={**dev_environ, "STEGVIS_DEBGU": "1"})
    assert result.returncode != 0
    assert "Unknown environment variable STEGVIS_DEBGU" in result.stderr


def test_production_refuses_to_start_without_its_secrets(tmp_path: Path):
    environ = production_environ(tmp_path)
    for name in ("SECRET_KEY", "STEGVIS_IDENTITY_KEYS", "STEGVIS_BLIND_INDEX_KEY"):
        result = stegvis("check", env={k: v for k, v in environ.items() if k != name})
        assert result.returncode != 0, name
        assert f"{name} (or {name}_FILE) must be set in production" in result.stderr
    assert not (tmp_path / "var" / "dev-secrets.json").exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [("STEGVIS_ALLOWED_HOSTS", "STEGVIS_ALLOWED_HOSTS must be set in production"),
     ("DATABASE_URL", "DATABASE_URL (or DATABASE_URL_FILE) must be set in production")],
)
def test_production_refuses_development_defaults(tmp_path: Path, missing, message):
    environ = {k: v for k, v in production_environ(tmp_path).items() if k != missing}
    result = stegvis("check", env=environ)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_debug(tmp_path: Path):
    result = stegvis("check", env={**production_environ(tmp_path), "STEGVIS_DEBUG": "1"})
    assert result.returncode != 0
    assert "STEGVIS_DEBUG must be off in production" in result.stderr


def test_production_refuses_a_broken_identity_key(tmp_path: Path):
    result = stegvis(
        "check", env={**production_environ(tmp_path), "STEGVIS_IDENTITY_KEYS": "not-a-key"}
    )
    assert result.returncode != 0
    assert "STEGVIS_IDENTITY_KEYS: key 1 is not a Fernet key" in result.stderr


def test_configured_production_passes_the_deploy_check(tmp_path: Path):
    result = stegvis("check", "--deploy", "--fail-level", "WARNING",
                     env=production_environ(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

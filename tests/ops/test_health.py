"""/healthz and /readyz: for load balancers; no sign-in, no data, JSON."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from stegvis.ops import views


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


def test_healthz_answers_anonymous_with_json(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert "no-store" in response["Cache-Control"]


def test_readyz_answers_anonymous_with_json(db):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert set(response.json()["checks"]) == {
        "database", "migrations", "database_writable", "static_files"
    }


def test_head_is_allowed_and_post_is_not(db):
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405


def test_pending_migrations_make_it_unhealthy(db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    with monkeypatch.context() as patched:
        patched.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", 0)])
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error", "checks": {"database": "ok", "migrations": "pending"}
    }


def test_unreachable_database_makes_it_unhealthy_without_details(db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: password=secret')

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
    assert b"db.internal" not in response.content


def test_readyz_fails_until_static_files_are_collected(db, tmp_path, settings):
    manifest_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=manifest_storage, STATIC_ROOT=tmp_path):
        response = Client().get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["static_files"] == "not_collected"
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
        assert Client().get("/readyz").status_code == 200
    # /healthz does not depend on static files
    assert Client().get("/healthz").status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_checks_are_not_redirected_to_https(db):
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/readyz").status_code == 200
    assert Client().get("/tillganglighet/").status_code == 301

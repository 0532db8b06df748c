"""E-legitimation configuration from the environment, identifiers and refusal reasons (pure)."""

from __future__ import annotations

import inspect
import re

import pytest

from stegvis.eid import config, identifiers, refusals
from stegvis.eid.config import HSA_ID, PERSONNUMMER, EidConfigError, from_env
from tests.eid.conftest import PNR_OFFICER

LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def test_nothing_configured_means_no_providers():
    cfg = from_env({}.get)
    assert cfg.providers == ()
    assert config.socialaccount_providers(cfg) == {
        "saml": {"provider_class": "stegvis.eid.providers.EidSAMLProvider"}
    }


def test_oidc_from_environment():
    cfg = from_env(
        {
            "STEGVIS_OIDC_ISSUER": "https://broker.example/oidc",
            "STEGVIS_OIDC_CLIENT_ID": "stegvis",
            "STEGVIS_OIDC_CLIENT_SECRET": "hemligt",
            "STEGVIS_OIDC_ACR_VALUES": f"{LOA3},{LOA2}",
            "STEGVIS_OIDC_IDENTITY_KIND": "hsa_id",
            "STEGVIS_OIDC_IDENTITY_CLAIM": "hsa",
        }.get
    )
    provider = cfg.provider("oidc")
    assert provider is not None
    assert (provider.identity_kind, provider.identity_attribute) == (HSA_ID, "hsa")
    app = config.socialaccount_providers(cfg)["openid_connect"]["APPS"][0]
    assert app["client_id"] == "stegvis"
    assert app["secret"] == "hemligt"
    assert app["settings"]["server_url"] == "https://broker.example/oidc"
    assert app["settings"]["auth_params"] == {"acr_values": f"{LOA3} {LOA2}"}


def test_saml_defaults_to_hsa_id_and_signed_assertions():
    cfg = from_env(
        {
            "STEGVIS_SAML_IDP_ENTITY_ID": "https://idp.example",
            "STEGVIS_SAML_IDP_SSO_URL": "https://idp.example/sso",
            "STEGVIS_SAML_IDP_X509CERT": "MIIC...",
        }.get
    )
    provider = cfg.provider("saml")
    assert provider is not None
    assert provider.identity_kind == HSA_ID
    assert provider.identity_attribute == "urn:oid:1.2.752.29.6.2.1"
    saml = config.socialaccount_providers(cfg)["saml"]
    assert saml["APPS"][0]["settings"]["advanced"]["want_assertion_signed"] is True
    assert saml["APPS"][0]["settings"]["advanced"]["reject_idp_initiated_sso"] is True


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"STEGVIS_OIDC_ISSUER": "https://x"}, "STEGVIS_OIDC_CLIENT_ID"),
        (
            {"STEGVIS_OIDC_ISSUER": "https://x", "STEGVIS_OIDC_CLIENT_ID": "a"},
            "STEGVIS_OIDC_CLIENT_SECRET",
        ),
        ({"STEGVIS_SAML_IDP_ENTITY_ID": "https://x"}, "STEGVIS_SAML_IDP_SSO_URL"),
        (
            {
                "STEGVIS_OIDC_ISSUER": "https://x",
                "STEGVIS_OIDC_CLIENT_ID": "a",
                "STEGVIS_OIDC_CLIENT_SECRET": "b",
                "STEGVIS_OIDC_IDENTITY_KIND": "email",
            },
            "STEGVIS_OIDC_IDENTITY_KIND",
        ),
    ],
)
def test_incomplete_configuration_names_the_variable(env, names):
    with pytest.raises(EidConfigError, match=names):
        from_env(env.get)


def test_strong_levels_are_configurable():
    default = from_env({}.get)
    assert config.is_strong([LOA3], default)
    assert not config.is_strong([LOA2], default)
    assert not config.is_strong([], default)
    custom = from_env({"STEGVIS_EID_STRONG_LEVELS": "urn:x:hog, urn:x:hogre"}.get)
    assert config.is_strong(["urn:x:hogre"], custom)
    assert not config.is_strong([LOA3], custom)


def test_every_variable_read_is_listed():
    source = inspect.getsource(config)
    read = set(re.findall(r'"(STEGVIS_[A-Z0-9_]+)"', source))
    assert read - {"STEGVIS_LOCAL_PASSWORDS"} <= set(config.ENV_VARIABLES)


def test_identifiers_are_normalised_and_errors_hold_no_value():
    assert identifiers.normalise(PERSONNUMMER, PNR_OFFICER[2:8] + "-" + PNR_OFFICER[8:]) == (
        PNR_OFFICER
    )
    assert identifiers.normalise(HSA_ID, "se2321000016-ab12") == "SE2321000016-AB12"
    with pytest.raises(identifiers.IdentifierError) as e:
        identifiers.normalise(HSA_ID, "SE123-X")
    assert "SE123" not in str(e.value)
    assert identifiers.index_input(HSA_ID, "X") != identifiers.index_input(PERSONNUMMER, "X")


def test_refusal_reasons_from_allauth_errors():
    class InvalidAudienceError(Exception):
        pass

    class ExpiredSignatureError(Exception):
        pass

    def oauth_error(cause: Exception) -> Exception:
        try:
            raise RuntimeError("Invalid id_token") from cause
        except RuntimeError as e:
            return e

    assert refusals.classify(
        error=None, exception=oauth_error(InvalidAudienceError()), context={}
    ) == refusals.WRONG_AUDIENCE
    assert refusals.classify(
        error=None, exception=oauth_error(ExpiredSignatureError()), context={}
    ) == refusals.EXPIRED
    assert refusals.classify(error=None, exception=None, context={"state_id": "x"}) == (
        refusals.REPLAYED
    )
    assert refusals.classify(
        error=None,
        exception=None,
        context={"saml_last_error_reason": "Invalid audience for this Response"},
    ) == refusals.WRONG_AUDIENCE
    assert refusals.classify(error="cancelled", exception=None, context={}) == refusals.CANCELLED
    assert refusals.classify(error=None, exception=None, context={}) == refusals.FAILED


def test_form_action_origins_are_the_idps():
    cfg = from_env(
        {
            "STEGVIS_OIDC_ISSUER": "https://broker.example:8443/oidc/realm",
            "STEGVIS_OIDC_CLIENT_ID": "a",
            "STEGVIS_OIDC_CLIENT_SECRET": "b",
            "STEGVIS_SAML_IDP_ENTITY_ID": "https://idp.example",
            "STEGVIS_SAML_IDP_SSO_URL": "https://idp.example/sso/redirect",
            "STEGVIS_SAML_IDP_X509CERT": "MIIC...",
        }.get
    )
    assert config.form_action_origins(cfg) == [
        "https://broker.example:8443",
        "https://idp.example",
    ]
    assert config.form_action_origins(from_env({}.get)) == []


def test_missing_node_or_xmlsec1_fails_the_tests_instead_of_skipping(monkeypatch):
    from tests.eid import conftest

    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    with (
        pytest.raises(pytest.fail.Exception, match="node saknas"),
        conftest.running_oidc_idp("http://testserver/"),
    ):
        pass
    with pytest.raises(pytest.fail.Exception, match="xmlsec1 saknas"):
        conftest.require_xmlsec1()


def test_saml_request_signing_needs_both_key_and_certificate():
    base = {
        "STEGVIS_SAML_IDP_ENTITY_ID": "https://idp.example",
        "STEGVIS_SAML_IDP_SSO_URL": "https://idp.example/sso",
        "STEGVIS_SAML_IDP_X509CERT": "MIIC...",
    }
    with pytest.raises(EidConfigError, match="STEGVIS_SAML_SP_PRIVATE_KEY"):
        from_env({**base, "STEGVIS_SAML_SP_X509CERT": "CERT"}.get)
    signed = from_env(
        {**base, "STEGVIS_SAML_SP_X509CERT": "CERT", "STEGVIS_SAML_SP_PRIVATE_KEY": "KEY"}.get
    )
    advanced = config.socialaccount_providers(signed)["saml"]["APPS"][0]["settings"]["advanced"]
    assert advanced["authn_request_signed"] is True
    assert (advanced["x509cert"], advanced["private_key"]) == ("CERT", "KEY")

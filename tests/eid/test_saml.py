"""Sign-in with SITHS eID through SAML 2.0, against a real pysaml2 IdP started by the tests."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from stegvis.audit.models import Action, AuditEvent
from tests.eid.conftest import (
    HSA_OFFICER,
    HSA_UNKNOWN,
    LOA2,
    LOA3,
    SAML_HOST,
    saml_authenticate,
    saml_post,
    saml_sign_in,
)
from tests.eid.saml_idp import OTHER_SP

pytestmark = pytest.mark.django_db


def refused_event(reason: str, provider: str = "saml") -> AuditEvent:
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.details == {"stage": "eid", "provider": provider, "reason": reason}
    return event


def test_metadata_names_the_assertion_consumer_service(client, saml):
    body = client.get("/konto/saml/eid-saml/metadata/").content.decode()
    assert 'Location="http://stegvis.test/konto/saml/eid-saml/acs/"' in body


def test_login_page_offers_siths(client, saml):
    body = client.get("/konto/login/").content.decode()
    assert 'action="/konto/saml/eid-saml/login/"' in body
    assert "Logga in med SITHS eID" in body


def test_known_user_at_loa3_is_signed_in_without_totp(client, saml, eid_users):
    response = saml_sign_in(client, saml, "officer", LOA3)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_id"] == str(eid_users.officer.pk)
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == eid_users.officer
    for stored in AuditEvent.objects.all():
        assert HSA_OFFICER not in f"{stored.actor_username} {stored.details}"
    assert not SocialAccount.objects.exists()


def test_loa2_asks_for_the_totp_code(client, saml, eid_users):
    response = saml_sign_in(client, saml, "officer", LOA2)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/").status_code == 302


def test_unknown_user_is_refused(client, saml, eid_users):
    response = saml_sign_in(client, saml, "unknown")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Det finns inget konto i Stegvis kopplat till din e-legitimation." in body
    assert HSA_UNKNOWN not in body
    assert "_auth_user_id" not in client.session
    assert refused_event("unknown_user").actor_username == ""


def test_user_without_role_is_refused(client, saml, eid_users):
    response = saml_sign_in(client, saml, "norole")
    assert response.status_code == 403
    assert "Ditt konto har ingen roll i Stegvis." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert refused_event("no_role").actor_username == "utan_roll"


def test_response_for_another_sp_is_refused(client, saml, eid_users):
    saml.mode = {"audience": OTHER_SP}
    response = saml_sign_in(client, saml, "officer")
    assert response.status_code == 403
    assert "var avsett för en annan tjänst än Stegvis" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refused_event("wrong_audience")


def test_expired_assertion_is_refused(client, saml, eid_users):
    saml.mode = {"issued_ago": 3600}
    response = saml_sign_in(client, saml, "officer")
    assert response.status_code == 403
    assert "har gått ut" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refused_event("expired")


def test_response_signed_by_an_untrusted_key_is_refused(client, saml, eid_users):
    saml.mode = {"forged": True}
    response = saml_sign_in(client, saml, "officer")
    assert response.status_code == 403
    assert "Inloggningen med e-legitimation misslyckades." in response.content.decode()
    assert "_auth_user_id" not in client.session
    refused_event("failed")


def test_replayed_response_is_refused(client, saml, eid_users):
    acs, posted = saml_authenticate(client, saml, "officer")
    assert saml_post(client, acs, posted).status_code == 302
    client.post("/konto/logout/")
    again = saml_post(client, acs, posted)
    assert again.status_code == 403
    assert "har redan använts" in again.content.decode()
    assert "_auth_user_id" not in client.session
    refused_event("replayed")


def test_response_replayed_in_another_browser_is_refused(client, saml, eid_users):
    acs, posted = saml_authenticate(client, saml, "officer")
    attacker = Client(HTTP_HOST=SAML_HOST)
    response = saml_post(attacker, acs, posted)
    assert response.status_code == 403
    assert "_auth_user_id" not in attacker.session
    refused_event("replayed")


def test_hsa_id_never_reaches_the_logs(client, saml, eid_users, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    saml_sign_in(client, saml, "officer")
    client.post("/konto/logout/")
    saml_sign_in(client, saml, "unknown")
    saml.mode = {"audience": OTHER_SP}
    saml_sign_in(client, saml, "officer")
    # pysaml2 is the test IdP's library (it logs what it signs); Stegvis' side is python3-saml.
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("saml2"))
    assert "not a valid audience" in text  # the SP's own log lines are in the capture
    assert HSA_OFFICER not in text
    assert HSA_UNKNOWN not in text


def test_signed_authn_requests(client, settings, saml, eid_users, tmp_path):
    """With an SP key pair configured, Stegvis signs its AuthnRequests and publishes the
    certificate; an IdP that requires signed requests accepts them."""
    from tests.eid.conftest import configure, saml_env
    from tests.eid.saml_idp import make_key_pair

    key, cert = make_key_pair(tmp_path, "sp")
    configure(
        settings,
        {
            **saml_env(saml),
            "STEGVIS_SAML_SP_X509CERT": cert.read_text(),
            "STEGVIS_SAML_SP_PRIVATE_KEY": key.read_text(),
        },
    )
    metadata = client.get("/konto/saml/eid-saml/metadata/").content.decode()
    assert 'AuthnRequestsSigned="true"' in metadata
    assert "X509Certificate" in metadata
    saml.trust_sp(metadata, require_signed_requests=True)
    start = client.post("/konto/saml/eid-saml/login/")
    assert "Signature=" in start["Location"]
    assert "SigAlg=" in start["Location"]
    client.cookies.clear()
    response = saml_sign_in(client, saml, "officer")
    assert response.status_code == 302
    assert response["Location"] == "/"

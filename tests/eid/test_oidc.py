"""Sign-in with e-legitimation through OIDC, against a real oidc-provider started by the tests."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount

from stegvis.audit.models import Action, AuditEvent
from tests.eid.conftest import (
    LOA2,
    LOA3,
    PNR_NEW,
    PNR_OFFICER,
    PNR_UNKNOWN,
    oidc_authorise,
    oidc_browser_to_callback,
    oidc_sign_in,
)

pytestmark = pytest.mark.django_db


def refused_event(reason: str) -> AuditEvent:
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.details == {"stage": "eid", "provider": "eid-oidc", "reason": reason}
    return event


def assert_no_personnummer_stored(*values: str) -> None:
    for event in AuditEvent.objects.all():
        text = f"{event.actor_username} {event.reason} {event.details}"
        for value in values:
            assert value not in text
    assert not SocialAccount.objects.exists()


def test_login_page_offers_the_configured_eid(client, oidc):
    response = client.get("/konto/login/")
    # browsers apply form-action to the redirect that follows the button's POST
    assert f"form-action 'self' {oidc.issuer}" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert "Logga in med e-legitimation" in body
    assert 'action="/konto/oidc/eid-oidc/login/"' in body
    assert "Logga in med Freja eID" in body
    form = body[body.index('action="/konto/oidc/eid-oidc/login/"') :]
    assert form.index('name="csrfmiddlewaretoken"') < form.index("</form>")
    assert "<h2>Logga in med lösenord</h2>" in body
    assert 'id="id_password"' in body  # local passwords are still on


def test_known_user_at_loa3_is_signed_in_without_totp(client, oidc, eid_users):
    response = oidc_sign_in(client, oidc, "officer", LOA3)
    assert response.status_code == 302
    assert response["Location"] == "/"  # not the two-factor step, though officer_a has TOTP
    page = client.get("/")
    assert page.status_code == 200
    assert client.session["_auth_user_id"] == str(eid_users.officer.pk)
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == eid_users.officer
    assert event.details["method"] == "socialaccount"
    assert_no_personnummer_stored(PNR_OFFICER)


def test_loa3_satisfies_two_factor_for_user_without_totp(client, oidc, eid_users):
    response = oidc_sign_in(client, oidc, "new", LOA3)
    assert response.status_code == 302
    for url in ["/", "/konto/api-nycklar/"]:
        assert client.get(url).status_code == 200, url


def test_loa2_user_with_totp_is_asked_for_the_code(client, oidc, eid_users):
    response = oidc_sign_in(client, oidc, "officer", LOA2)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in before the code
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_loa2_user_without_totp_must_set_it_up(client, oidc, eid_users):
    response = oidc_sign_in(client, oidc, "new", LOA2)
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 302
    assert page["Location"] == "/konto/2fa/totp/activate/"
    # no password prompt first: the user may have none
    setup = client.get("/konto/2fa/totp/activate/")
    assert setup.status_code == 200
    assert "Aktivera autentiseringsapp" in setup.content.decode()
    assert_no_personnummer_stored(PNR_NEW)


def test_unknown_user_is_refused(client, oidc, eid_users):
    response = oidc_sign_in(client, oidc, "unknown")
    body = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="sv">' in body
    assert "Det finns inget konto i Stegvis kopplat till din e-legitimation." in body
    assert PNR_UNKNOWN not in body
    assert "_auth_user_id" not in client.session
    event = refused_event("unknown_user")
    assert event.actor is None
    assert event.actor_username == ""
    assert_no_personnummer_stored(PNR_UNKNOWN)


def test_user_without_role_is_refused(client, oidc, eid_users):
    response = oidc_sign_in(client, oidc, "norole")
    assert response.status_code == 403
    assert "Ditt konto har ingen roll i Stegvis." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert refused_event("no_role").actor_username == "utan_roll"


def test_inactive_user_is_refused(client, oidc, eid_users):
    eid_users.officer.is_active = False
    eid_users.officer.save()
    response = oidc_sign_in(client, oidc, "officer")
    assert response.status_code == 403
    assert "Ditt konto är avstängt." in response.content.decode()
    refused_event("inactive")


def test_missing_identity_claim_is_refused(client, oidc, eid_users):
    response = oidc_sign_in(client, oidc, "noidentity")
    assert response.status_code == 403
    assert "skickade ingen identitet" in response.content.decode()
    refused_event("missing_identity")


def test_id_token_for_another_audience_is_refused(client, oidc, eid_users):
    oidc.set_mode(aud="en-annan-tjanst")
    response = oidc_sign_in(client, oidc, "officer")
    body = response.content.decode()
    assert response.status_code == 403
    assert "var avsett för en annan tjänst än Stegvis" in body
    assert "_auth_user_id" not in client.session
    refused_event("wrong_audience")
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_expired_id_token_is_refused(client, oidc, eid_users):
    oidc.set_mode(expired=True)
    response = oidc_sign_in(client, oidc, "officer")
    assert response.status_code == 403
    assert "har gått ut" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refused_event("expired")


def test_replayed_callback_is_refused(client, oidc, eid_users):
    callback = oidc_authorise(client, oidc, "officer")
    assert client.get(callback).status_code == 302
    client.post("/konto/logout/")
    again = client.get(callback)
    assert again.status_code == 403
    assert "har redan använts" in again.content.decode()
    assert "_auth_user_id" not in client.session
    refused_event("replayed")


def test_callback_replayed_in_another_browser_is_refused(client, oidc, eid_users):
    from django.test import Client

    callback = oidc_authorise(client, oidc, "officer")
    attacker = Client()
    response = attacker.get(callback)
    assert response.status_code == 403
    assert "_auth_user_id" not in attacker.session
    refused_event("replayed")


def test_no_self_sign_up_without_recorded_identity(client, oidc, personas, django_user_model):
    before = django_user_model.objects.count()
    oidc_sign_in(client, oidc, "unknown")
    assert django_user_model.objects.count() == before


def test_loa3_mark_only_counts_for_the_user_who_signed_in(client, oidc, eid_users, rf):
    from stegvis.access import eid_session as session

    oidc_sign_in(client, oidc, "new", LOA3)
    request = rf.get("/")
    request.session = client.session
    request.user = eid_users.new
    assert session.satisfies_two_factor(request)
    request.user = eid_users.officer
    assert not session.satisfies_two_factor(request)


def test_connecting_an_eid_to_a_signed_in_account_is_refused(
    client_for, personas, oidc, eid_users
):
    c = client_for(personas.admin_a)
    start = c.post("/konto/oidc/eid-oidc/login/", {"process": "connect"})
    assert start.status_code == 302
    callback = oidc_browser_to_callback(oidc, start["Location"], "officer", LOA3)
    response = c.get(callback)
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    refused_event("failed")


def test_personnummer_never_reaches_the_logs(client, oidc, eid_users, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    oidc_sign_in(client, oidc, "officer", LOA3)
    client.post("/konto/logout/")
    oidc_sign_in(client, oidc, "unknown", LOA3)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records  # something was logged (urllib3 at least)
    for value in (PNR_OFFICER, PNR_UNKNOWN):
        assert value not in text
        assert value[2:] not in text

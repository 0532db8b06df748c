"""Sign-in: Swedish pages, audit of sign-in events, lockout, and two-factor for deltagaransvarig."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings

from stegvis.access.roles import Role
from stegvis.audit.models import Action, AuditEvent
from tests import factories
from tests.conftest import PASSWORD
from tests.support.totp import current_code

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def test_login_page_is_swedish_and_accessible(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in body
    assert "<h1>Logga in</h1>" in body
    assert '<label for="id_login">Användarnamn' in body
    assert '<label for="id_password">Lösenord' in body
    assert "Sign In" not in body
    assert "<script>" not in body  # no inline scripts under the CSP


def test_password_sign_in_for_role_without_two_factor(client, personas):
    response = sign_in(client, "manager_a")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == personas.manager_a
    assert event.actor_username == "manager_a"


@pytest.mark.parametrize("username", ["admin_a", "sysadmin"])
def test_administrators_must_sign_in_with_two_factors(client, personas, username, settings):
    settings.STEGVIS_MFA_REQUIRED_ROLES = []  # not even the configuration can drop it
    response = sign_in(client, username)
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/").status_code == 302  # a password alone is not enough
    client.post("/konto/2fa/authenticate/", {"code": current_code(factories.TOTP_SECRET)})
    assert client.get("/").status_code == 200
    assert "mfa" in AuditEvent.objects.get(action=Action.LOGIN).details["method"]


@pytest.mark.parametrize("role", [Role.ASSOCIATION_ADMIN, Role.SYSTEM_ADMIN])
def test_administrator_without_two_factor_is_sent_to_set_it_up(client, personas, role):
    user = factories.UserFactory(username="ny_admin")
    factories.grant(user, role.value, None if role == Role.SYSTEM_ADMIN else personas.a)
    assert sign_in(client, "ny_admin").status_code == 302
    for url in ["/", f"/konto/forbund/{personas.a.pk}/anvandare/"]:
        response = client.get(url)
        assert response["Location"] == "/konto/2fa/totp/activate/", url


def test_wrong_password_shows_swedish_error_and_is_audited_without_password(client, personas):
    response = sign_in(client, "admin_a", "fel-losenord-123")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert" tabindex="-1"' in body
    assert "Användarnamnet och/eller lösenordet är felaktigt." in body
    assert client.get("/").status_code == 302  # not signed in
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_username == "admin_a"
    assert "fel-losenord-123" not in str(event.details) + event.reason
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_empty_form_lists_both_fields_in_error_summary(client, db):
    body = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert 'href="#id_login"' in body
    assert 'href="#id_password"' in body
    assert 'aria-describedby="id_login_error"' in body


def test_username_shaped_like_personnummer_is_not_stored(client, db):
    sign_in(client, "19850101-1234", "whatever-password")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor_username == "(dolt)"


def test_lockout_after_failure_limit_even_with_right_password(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "admin_a", "fel-losenord-123")
    response = sign_in(client, "admin_a")
    body = response.content.decode()
    assert response.status_code == 429
    assert "Kontot är tillfälligt låst" in body
    assert '<html lang="sv">' in body
    assert client.get("/").status_code == 302
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() >= (
        settings.AXES_FAILURE_LIMIT
    )


def test_lockout_is_per_account(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "admin_a", "fel-losenord-123")
    assert sign_in(client, "admin_b").status_code == 302


def test_failures_below_limit_do_not_lock(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "admin_a", "fel-losenord-123")
    assert sign_in(client, "admin_a").status_code == 302


# --- two-factor ------------------------------------------------------------------------------


@pytest.fixture
def new_officer(personas):
    """A deltagaransvarig in A who has not set up two-factor yet."""
    user = factories.UserFactory(username="ny_handlaggare")
    factories.grant(user, Role.PARTICIPANT_OFFICER.value, personas.a)
    return user


def test_officer_without_totp_is_sent_to_setup_for_any_page(client, personas, new_officer):
    assert sign_in(client, "ny_handlaggare").status_code == 302
    for url in ["/", f"/forbund/{personas.a.pk}/", "/konto/api-nycklar/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/konto/2fa/totp/activate/"
    page = client.get("/konto/2fa/totp/activate/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Aktivera autentiseringsapp" in body
    assert 'alt="QR-kod' in body


def test_officer_without_totp_gets_json_403_from_api(client, personas, new_officer):
    sign_in(client, "ny_handlaggare")
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_officer_activates_totp_and_then_reaches_pages(client, personas, new_officer):
    sign_in(client, "ny_handlaggare")
    client.get("/konto/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post("/konto/2fa/totp/activate/", {"code": "000000"})
    assert "Felaktig kod." in wrong.content.decode()
    assert 'href="#id_code"' in wrong.content.decode()
    assert not Authenticator.objects.filter(user=new_officer).exists()
    response = client.post("/konto/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=new_officer, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get("/").status_code == 200
    codes = client.get(response["Location"])
    assert "Återställningskoder" in codes.content.decode()


def test_officer_with_totp_is_asked_for_code(client, personas):
    response = sign_in(client, "officer_a")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in yet
    page = client.get("/konto/2fa/authenticate/").content.decode()
    assert "Tvåfaktorsautentisering" in page
    assert 'autocomplete="one-time-code"' in page
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_wrong_totp_code_gives_swedish_error_and_no_session(client, personas):
    sign_in(client, "officer_a")
    response = client.post("/konto/2fa/authenticate/", {"code": "123456"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Felaktig kod." in body
    assert 'class="error-summary"' in body
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.actor_username == "officer_a"
    assert failed.details == {"stage": "totp"}
    assert "123456" not in str(failed.details)


def test_right_totp_code_signs_in_and_is_audited(client, personas):
    sign_in(client, "officer_a")
    response = client.post(
        "/konto/2fa/authenticate/", {"code": current_code(factories.TOTP_SECRET)}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == personas.officer_a
    assert "mfa" in event.details["method"]


def test_wrong_totp_codes_lead_to_lockout(client, personas):
    sign_in(client, "officer_a")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/konto/2fa/authenticate/", {"code": "123456"})
    response = client.post("/konto/2fa/authenticate/", {"code": "123456"})
    assert response.status_code == 429
    assert "Kontot är tillfälligt låst" in response.content.decode()
    # The half-finished sign-in is gone, and the right password no longer helps.
    again = client.post("/konto/2fa/authenticate/", {"code": current_code(factories.TOTP_SECRET)})
    assert again.status_code == 302
    assert client.get("/").status_code == 302
    assert sign_in(client, "officer_a").status_code == 429


def test_officer_cannot_deactivate_totp(client, personas):
    sign_in(client, "officer_a")
    client.post("/konto/2fa/authenticate/", {"code": current_code(factories.TOTP_SECRET)})
    asked = client.get("/konto/2fa/totp/deactivate/")
    assert asked["Location"].startswith("/konto/reauthenticate/")
    reauth_page = client.get(asked["Location"]).content.decode()
    assert "Bekräfta åtkomst" in reauth_page or "Lösenord" in reauth_page
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get("/konto/2fa/totp/deactivate/")
    assert page.status_code == 200
    assert "Du kan inte inaktivera tvåfaktorsautentisering." in page.content.decode()
    client.post("/konto/2fa/totp/deactivate/", {})
    assert Authenticator.objects.filter(
        user=personas.officer_a, type=Authenticator.Type.TOTP
    ).exists()


def test_signup_is_closed(client, db):
    response = client.get("/konto/signup/")
    assert "id_password1" not in response.content.decode()


def test_logout_page_is_swedish(client_for, personas):
    c = client_for(personas.admin_a)
    assert "Vill du logga ut?" in c.get("/konto/logout/").content.decode()
    assert c.post("/konto/logout/").status_code == 302
    assert c.get("/").status_code == 302

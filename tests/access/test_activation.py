"""Access reset with a one-time activation code: the administrator never gets a working login
for the user (issue 9 §3)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from stegvis.access import services
from stegvis.access.models import ActivationCode
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit_review.selectors import events_for
from tests import factories
from tests.conftest import PASSWORD
from tests.support.totp import current_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "nytt-langt-losenord-77"
ACTIVATE = "/konto/aktivera/"
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def reset_url(personas, user) -> str:
    return f"/konto/forbund/{personas.a.pk}/anvandare/{user.pk}/ny-inloggning/"


def reset_through_page(personas, client_for, user) -> str:
    admin = client_for(personas.admin_a)
    page = admin.get(reset_url(personas, user))
    assert page.status_code == 200
    assert "aktiveringskod" in page.content.decode()
    response = admin.post(reset_url(personas, user))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    found = CODE.search(body)
    assert found, body
    assert "/konto/aktivera/" in body
    return found.group(0)


def activate(client: Client, username: str, code: str, password: str = NEW_PASSWORD):
    return client.post(ACTIVATE, {"username": username, "code": code, "password1": password,
                                  "password2": password})


def test_reset_of_a_deltagaransvarig_gives_the_admin_no_working_login(personas, client_for):
    officer = personas.officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/konto/login/", {"login": "officer_a", "password": "fel-losenord-1"})
    assert AccessAttempt.objects.filter(username="officer_a").exists()

    code = reset_through_page(personas, client_for, officer)

    officer.refresh_from_db()
    assert not officer.has_usable_password()  # the old password no longer works ...
    assert not Authenticator.objects.filter(user=officer).exists()  # ... nor the old app
    assert not AccessAttempt.objects.filter(username="officer_a").exists()  # unlocked
    stored = ActivationCode.objects.get(user=officer)
    assert code not in str(stored.__dict__)  # only a hash is stored
    assert code.replace("-", "") not in str(stored.__dict__)
    # Signing in with any password fails: the administrator holds no password.
    c = Client()
    assert c.post("/konto/login/", {"login": "officer_a", "password": PASSWORD}).status_code == 200
    assert c.get("/").status_code == 302


def test_user_activates_then_enrols_a_new_second_factor_before_anything_else(
    personas, client_for
):
    code = reset_through_page(personas, client_for, personas.officer_a)
    c = Client()
    page = c.get(ACTIVATE)
    assert page.status_code == 200 and "Aktivera konto" in page.content.decode()
    response = activate(c, "officer_a", code.lower())  # case and dashes do not matter
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/"
    # The code is consumed: a second use fails.
    again = activate(Client(), "officer_a", code, "ett-annat-langt-losenord-5")
    assert again.status_code == 400
    assert "Aktiveringskod" in again.content.decode()

    signed = c.post("/konto/login/", {"login": "officer_a", "password": NEW_PASSWORD})
    assert signed.status_code == 302
    for url in ["/", "/deltagare/", "/api/v1/me/"]:
        blocked = c.get(url)
        assert blocked.status_code in (302, 403), url
        if blocked.status_code == 302:
            assert blocked["Location"] == "/konto/2fa/totp/activate/"
    c.get("/konto/2fa/totp/activate/")
    secret = c.session[SECRET_SESSION_KEY]
    assert secret != factories.TOTP_SECRET
    c.post("/konto/2fa/totp/activate/", {"code": current_code(secret)})
    assert c.get("/").status_code == 200
    assert Authenticator.objects.filter(user=personas.officer_a, type="totp").exists()


def test_wrong_used_or_expired_codes_are_refused_alike_and_count_towards_lockout(
    personas, client_for
):
    code = reset_through_page(personas, client_for, personas.reader_a)
    c = Client()
    wrong = activate(c, "reader_a", "AAAA-BBBB-CCCC-DDDD")
    unknown = activate(c, "finns_inte", code)
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "koden stämmer inte" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.LOGIN_FAILED, details__stage="activation"
    ).count() == 2
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(
        hours=services.ACTIVATION_CODE_HOURS, minutes=1
    )):
        expired = activate(Client(), "reader_a", code)
    assert expired.status_code == 400
    for _ in range(settings.AXES_FAILURE_LIMIT):
        activate(c, "reader_a", "AAAA-BBBB-CCCC-DDDD")
    locked = activate(c, "reader_a", code)
    assert locked.status_code == 429
    personas.reader_a.refresh_from_db()
    assert not personas.reader_a.has_usable_password()


def test_weak_password_is_refused_in_swedish_and_the_code_survives(personas, client_for):
    code = reset_through_page(personas, client_for, personas.reader_a)
    c = Client()
    short = activate(c, "reader_a", code, "kort")
    assert short.status_code == 400
    body = short.content.decode()
    assert "Lösenord" in body and 'href="#id_password1"' in body
    mismatch = c.post(ACTIVATE, {"username": "reader_a", "code": code,
                                 "password1": NEW_PASSWORD, "password2": "annat-losenord-99"})
    assert "lösenorden är inte lika" in mismatch.content.decode()
    assert activate(c, "reader_a", code).status_code == 302
    personas.reader_a.refresh_from_db()
    assert personas.reader_a.check_password(NEW_PASSWORD)


def test_a_new_reset_replaces_the_old_code(personas, client_for):
    first = reset_through_page(personas, client_for, personas.reader_a)
    second = reset_through_page(personas, client_for, personas.reader_a)
    assert first != second
    assert activate(Client(), "reader_a", first).status_code == 400
    assert activate(Client(), "reader_a", second).status_code == 302


def test_reset_is_audited_and_visible_to_the_forbunds_granskare(personas, client_for):
    code = reset_through_page(personas, client_for, personas.officer_a)
    activate(Client(), "officer_a", code)
    seen = events_for(user=personas.auditor_a)
    reset = seen.get(details__change="access_reset")
    assert reset.actor == personas.admin_a
    assert reset.association_id == personas.a.pk
    assert reset.details["user"] == "officer_a"
    assert code not in str(reset.details)
    assert seen.filter(details__change="activated", actor=personas.officer_a).exists()
    assert not events_for(user=personas.auditor_a).filter(details__change="access_reset").exclude(
        association=personas.a
    ).exists()

"""Account safety: no e-mail reset, encrypted two-factor secrets, no identities in lockout rows."""

from __future__ import annotations

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_password_reset_page_points_to_the_administrator(client, personas):
    response = client.get("/konto/password/reset/")
    assert response.status_code == 200
    assert "kontakta ditt samordningsförbunds administratör" in response.content.decode()
    client.post("/konto/password/reset/", {"email": "admin_a@example.org"})
    assert mail.outbox == []


def test_login_page_does_not_offer_email_reset(client):
    body = client.get("/konto/login/").content.decode()
    assert "Kontakta förbundets administratör" in body
    assert "Forgot" not in body


def test_totp_secret_is_stored_encrypted(personas):
    from allauth.mfa.models import Authenticator

    from tests import factories

    authenticator = Authenticator.objects.get(user=personas.officer_a, type="totp")
    assert factories.TOTP_SECRET not in str(authenticator.data)


def test_lockout_table_never_holds_a_personnummer(client, db):
    from axes.models import AccessAttempt

    client.post("/konto/login/", {"login": "19850101-1234", "password": "fel-losenord-123"})
    assert AccessAttempt.objects.exists()
    assert not AccessAttempt.objects.filter(username__contains="850101").exists()

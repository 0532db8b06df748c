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


NEW_PASSWORD = "nytt-langt-losenord-77"


def test_outsider_cannot_reset_another_associations_user(client_for, personas):
    url = f"/konto/forbund/{personas.a.pk}/anvandare/{personas.reader_a.pk}/ny-inloggning/"
    response = client_for(personas.admin_b).post(url)
    assert response.status_code == 404
    personas.reader_a.refresh_from_db()
    assert personas.reader_a.check_password("korrekt-hast-batteri-42")


def test_association_admin_cannot_reset_a_user_who_also_works_elsewhere(personas):
    from django.core.exceptions import PermissionDenied

    from stegvis.access import services
    from tests import factories

    factories.grant(personas.reader_a, "rapportlasare", personas.b)
    with pytest.raises(PermissionDenied):
        services.user_access_reset(actor=personas.admin_a, user=personas.reader_a)
    personas.reader_a.refresh_from_db()
    assert personas.reader_a.has_usable_password()


def test_rotation_re_encrypts_two_factor_secrets(settings, personas, capsys):
    from allauth.mfa.models import Authenticator
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from stegvis.lib import crypto
    from tests import factories

    old = list(settings.STEGVIS_IDENTITY_KEYS)
    new = Fernet.generate_key().decode()
    settings.STEGVIS_IDENTITY_KEYS = [new, *old]
    call_command("rotate_identity_keys")
    assert "tvåfaktorshemligheter" in capsys.readouterr().out
    settings.STEGVIS_IDENTITY_KEYS = [new]  # the old key is gone: secrets still readable
    authenticator = Authenticator.objects.get(user=personas.officer_a, type="totp")
    assert crypto.decrypt(authenticator.data["secret"]) == factories.TOTP_SECRET

"""Encryption with a rotatable key ring, the blind index, and when follow-ups fall due."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from stegvis.lib import crypto
from stegvis.lib.dates import add_months
from stegvis.participants import followup
from stegvis.participants.models import Person

NUMBER = "198501015524"


def test_encrypt_decrypt_and_no_plaintext(settings):
    settings.STEGVIS_IDENTITY_KEYS = [Fernet.generate_key().decode()]
    token = crypto.encrypt(NUMBER)
    assert NUMBER not in token
    assert crypto.encrypt(NUMBER) != token  # randomised
    assert crypto.decrypt(token) == NUMBER


def test_rotation_decrypts_with_old_key_and_reencrypts_with_newest(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.STEGVIS_IDENTITY_KEYS = [old]
    token = crypto.encrypt(NUMBER)
    settings.STEGVIS_IDENTITY_KEYS = [new, old]
    assert crypto.decrypt(token) == NUMBER
    rotated = crypto.rotate(token)
    settings.STEGVIS_IDENTITY_KEYS = [new]
    assert crypto.decrypt(rotated) == NUMBER
    with pytest.raises(crypto.DecryptionError) as exc:
        crypto.decrypt(token)
    assert NUMBER not in str(exc.value)


def test_blind_index_is_keyed_and_stable(settings):
    settings.STEGVIS_BLIND_INDEX_KEY = "nyckel-ett"
    a = crypto.blind_index(NUMBER)
    assert a == crypto.blind_index(NUMBER) and len(a) == 64 and NUMBER not in a
    settings.STEGVIS_BLIND_INDEX_KEY = "nyckel-tva"
    assert crypto.blind_index(NUMBER) != a


@pytest.mark.django_db
def test_rotate_identity_keys_command(settings, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.STEGVIS_IDENTITY_KEYS = [old]
    person = Person.objects.create(
        identity_ciphertext=crypto.encrypt(NUMBER),
        blind_index=crypto.blind_index(NUMBER),
        birth_month=dt.date(1985, 1, 1),
        sex="K",
    )
    settings.STEGVIS_IDENTITY_KEYS = [new, old]
    call_command("rotate_identity_keys")
    assert "1 identiteter" in capsys.readouterr().out
    settings.STEGVIS_IDENTITY_KEYS = [new]
    person.refresh_from_db()
    assert crypto.decrypt(person.identity_ciphertext) == NUMBER


def test_follow_up_due_dates_and_status():
    end = dt.date(2024, 1, 31)
    assert followup.due_date(end, "followup_3m") == dt.date(2024, 4, 30)
    assert followup.due_date(end, "followup_12m") == dt.date(2025, 1, 31)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    due = dt.date(2024, 4, 30)
    assert followup.status(due, dt.date(2024, 4, 15)) == followup.UPCOMING
    assert followup.status(due, dt.date(2024, 4, 16)) == followup.DUE
    assert followup.status(due, dt.date(2024, 5, 30)) == followup.DUE
    assert followup.status(due, dt.date(2024, 5, 31)) == followup.OVERDUE

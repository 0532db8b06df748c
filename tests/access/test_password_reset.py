"""Stegvis sends no e-mail: the reset page tells the user whom to contact, and sends nothing."""

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

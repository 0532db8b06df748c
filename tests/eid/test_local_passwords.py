"""STEGVIS_LOCAL_PASSWORDS=false: only e-legitimation signs in."""

from __future__ import annotations

import pytest

from stegvis.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD
from tests.eid.conftest import configure, oidc_env, oidc_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def passwords_off(settings, oidc):
    configure(settings, oidc_env(oidc), local_passwords=False)
    return oidc


def test_login_page_has_no_password_form(client, passwords_off):
    body = client.get("/konto/login/").content.decode()
    assert "Logga in med Freja eID" in body
    assert 'id="id_password"' not in body
    assert 'name="password"' not in body


def test_password_post_is_refused_in_swedish_and_audited(client, personas, passwords_off):
    response = client.post("/konto/login/", {"login": "admin_a", "password": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Inloggning med lösenord är avstängd. Logga in med e-legitimation." in body
    assert client.get("/").status_code == 302  # not signed in
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor_username == "admin_a"
    assert event.details == {"stage": "password_disabled"}
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_eid_still_signs_in(client, eid_users, passwords_off):
    assert oidc_sign_in(client, passwords_off, "officer").status_code == 302
    assert client.get("/").status_code == 200


def test_passwords_on_by_default(client, personas, settings):
    assert settings.STEGVIS_LOCAL_PASSWORDS is True
    response = client.post("/konto/login/", {"login": "admin_a", "password": PASSWORD})
    assert response.status_code == 302

"""Personal API keys: created and shown once, stored hashed, listed, revoked; Bearer auth."""

from __future__ import annotations

import hashlib

import pytest

from stegvis.access import services
from stegvis.access.models import ApiToken
from stegvis.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

URL = "/konto/api-nycklar/"


def test_create_key_shows_it_once_and_stores_only_hash(personas, client_for):
    c = client_for(personas.admin_a)
    response = c.post(URL, {"name": "Rapportsystemet"})
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=personas.admin_a)
    start = body.index('id="new_key" value="') + len('id="new_key" value="')
    key = body[start : body.index('"', start)]
    assert key.startswith(f"stg_{token.prefix}.")
    secret = key.split(".", 1)[1]
    assert token.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.hashed_secret
    again = c.get(URL).content.decode()
    assert "Rapportsystemet" in again
    assert secret not in again
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="access.apitoken")
    assert secret not in str(event.details)


def test_empty_name_is_refused_with_summary(personas, client_for):
    response = client_for(personas.admin_a).post(URL, {"name": ""})
    assert response.status_code == 400
    assert 'href="#id_name"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_key_works_as_bearer_and_revoked_key_does_not(personas, client):
    token, key = services.api_token_create(actor=personas.admin_a, name="test")
    headers = {"Authorization": f"Bearer {key}"}
    response = client.get("/api/v1/associations/", headers=headers)
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == ["Samordningsförbundet Alfa"]
    token.refresh_from_db()
    assert token.last_used is not None
    services.api_token_revoke(actor=personas.admin_a, token=token)
    response = client.get("/api/v1/associations/", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "header",
    ["Bearer stg_nonsense.secret", "Bearer ", "Bearer stg_", "Token abc", "Bearer x.y"],
)
def test_bad_keys_are_401(personas, client, header):
    services.api_token_create(actor=personas.admin_a, name="test")
    response = client.get("/api/v1/associations/", headers={"Authorization": header})
    assert response.status_code == 401


def test_wrong_secret_with_right_prefix_is_401(personas, client):
    token, _key = services.api_token_create(actor=personas.admin_a, name="test")
    forged = f"stg_{token.prefix}.{'A' * 43}"
    response = client.get("/api/v1/me/", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_revoke_page(personas, client_for):
    token, _ = services.api_token_create(actor=personas.admin_a, name="gammal")
    c = client_for(personas.admin_a)
    response = c.post(f"{URL}{token.pk}/aterkalla/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Återkallad" in c.get(URL).content.decode()


def test_other_user_cannot_see_or_revoke_my_key(personas, client_for):
    token, _ = services.api_token_create(actor=personas.admin_a, name="min-nyckel")
    c = client_for(personas.admin_b)
    assert "min-nyckel" not in c.get(URL).content.decode()
    assert c.post(f"{URL}{token.pk}/aterkalla/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")

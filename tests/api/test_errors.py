"""API errors are JSON with a stable code and a Swedish message; keys and sessions both work."""

from __future__ import annotations

import pytest

from stegvis.access import services

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, key = services.api_token_create(actor=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def test_no_credentials_is_401_json(client, personas):
    response = client.get(f"/api/v1/associations/{personas.a.pk}")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert "inte inloggad" in body["message"]


def test_outsider_token_gets_404_json_without_data(client, personas):
    response = client.get(f"/api/v1/associations/{personas.a.pk}", headers=bearer(personas.admin_b))
    assert response.status_code == 404
    body = response.json()
    assert body == {
        "code": "not_found",
        "message": "Det du söker finns inte, eller så har du inte behörighet till det.",
    }
    assert "Alfa" not in response.content.decode()


def test_member_token_gets_the_association(client, personas):
    response = client.get(f"/api/v1/associations/{personas.a.pk}", headers=bearer(personas.admin_a))
    assert response.status_code == 200
    assert response.json()["name"] == "Samordningsförbundet Alfa"


def test_role_without_capability_is_403_json(client, personas):
    url = f"/api/v1/associations/{personas.a.pk}"
    response = client.get(url, headers=bearer(personas.reader_a))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "behörighet" in response.json()["message"]


def test_invalid_query_is_422_json(client, personas):
    response = client.get("/api/v1/me/?association_id=abc", headers=bearer(personas.admin_a))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "Uppgifterna är ogiltiga."
    assert body["errors"][0]["field"] == "query.association_id"


def test_unknown_path_is_json_404(client, personas):
    response = client.get("/api/v1/associations/999999", headers=bearer(personas.admin_a))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_session_works_too(client_for, personas):
    response = client_for(personas.admin_a).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "username": "admin_a",
        "roles": [{"role": "forbundsadministrator", "association_id": personas.a.pk}],
    }


def test_officer_token_works_with_totp(client, personas):
    response = client.get("/api/v1/me/", headers=bearer(personas.officer_a))
    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"


def test_officer_token_refused_without_totp(client, personas):
    from allauth.mfa.models import Authenticator

    headers = bearer(personas.officer_a)
    Authenticator.objects.filter(user=personas.officer_a).delete()
    assert client.get("/api/v1/me/", headers=headers).status_code == 401


def test_openapi_documents_bearer(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())

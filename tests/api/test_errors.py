"""API errors are JSON with a stable code and a Swedish message; keys and sessions both work."""

from __future__ import annotations

import json

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


# --- every answer is JSON, with Swedish messages (issue 9 §5) ------------------------------


def test_unknown_path_under_the_api_is_json_404(client, personas):
    for path in ("/api/v1/finns-inte", "/api/v1/participations/abc/xyz/", "/api/v1/"):
        response = client.get(path, headers=bearer(personas.admin_a))
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_found"


def test_wrong_method_is_json_405(client, personas):
    response = client.delete("/api/v1/me/", headers=bearer(personas.admin_a))
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed",
                               "message": "Metoden är inte tillåten här."}
    assert response["Allow"] == "GET"


def test_unexpected_error_is_json_500_without_details(client, personas, monkeypatch, caplog):
    from stegvis.api import me

    def broken(user):
        raise RuntimeError("intern detalj som inte får läcka")

    monkeypatch.setattr(me.scope, "grants", broken)
    response = client.get("/api/v1/me/", headers=bearer(personas.admin_a))
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error"
    assert body["message"].startswith("Något gick fel")
    assert "intern detalj" not in response.content.decode()
    assert any(r.exc_info for r in caplog.records if r.name == "stegvis.api")


def test_pydantic_messages_are_swedish(client, personas):
    response = client.post(
        "/api/v1/interventions/",
        json.dumps({"association_id": "x", "start_date": "inte ett datum"}),
        content_type="application/json",
        headers=bearer(personas.admin_a),
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["body.payload.association_id"] == "Ange ett heltal."
    assert errors["body.payload.start_date"] == "Ange ett giltigt datum, ÅÅÅÅ-MM-DD."
    assert errors["body.payload.name"] == "Fältet måste anges."
    assert "Field required" not in response.content.decode()


def test_broken_json_body_is_a_swedish_422(client, personas):
    response = client.post("/api/v1/interventions/", "{inte json", content_type="application/json",
                           headers=bearer(personas.admin_a))
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["code"] in ("bad_request", "invalid")
    assert all(ch not in body["message"] for ch in ("Expecting", "JSON decode"))


def test_api_key_name_with_a_phone_number_is_accepted(personas):
    token, _key = services.api_token_create(actor=personas.admin_a, name="Integration 0701234567")
    assert token.name == "Integration 0701234567"


def test_api_key_name_with_a_personnummer_is_refused(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.api_token_create(actor=personas.admin_a, name="Nyckel 19730610-7405")
    message = caught.value.message_dict["name"][0]
    assert message.startswith("Namn: texten ser ut att innehålla ett personnummer")
    assert "7405" not in message


def test_api_key_page_accepts_a_phone_number(client_for, personas):
    from django.urls import reverse

    client = client_for(personas.admin_a)
    response = client.post(reverse("access:api_tokens"), {"name": "Ring 0701234567"})
    assert response.status_code == 200
    assert "stg_" in response.content.decode()

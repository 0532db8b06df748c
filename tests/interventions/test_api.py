"""API /api/v1/interventions/: scoped like the pages; errors as JSON."""

from __future__ import annotations

import json

import pytest

from stegvis.associations.models import PartyKind
from stegvis.audit.models import Action, AuditEvent
from stegvis.interventions.models import Intervention
from tests.interventions.conftest import members

pytestmark = pytest.mark.django_db

BASE = "/api/v1/interventions/"


def _payload(personas, **overrides):
    m = members(personas.a)
    data = {
        "association_id": personas.a.pk,
        "name": "API-insatsen",
        "orientation": "structural",
        "follow_up_method": "volume",
        "target_groups": ["test-unga"],
        "organiser_id": m[PartyKind.REGION][0].pk,
        "party_ids": [m[PartyKind.FK][0].pk],
        "controller_id": m[PartyKind.REGION][0].pk,
        "start_date": "2024-01-01",
    }
    data.update(overrides)
    return data


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_list_is_scoped(personas, intervention, client_for):
    rows = client_for(personas.manager_a).get(BASE).json()
    assert [r["id"] for r in rows] == [intervention.pk]
    assert rows[0]["target_groups"] == ["test-unga"]
    assert client_for(personas.admin_b).get(BASE).json() == []


def test_list_by_association_outsider_404_reader_403(personas, intervention, client_for):
    url = f"{BASE}?association_id={personas.a.pk}"
    assert client_for(personas.admin_b).get(url).status_code == 404
    assert client_for(personas.reader_a).get(url).status_code == 403


def test_get_outsider_404_reader_403(personas, intervention, client_for):
    url = f"{BASE}{intervention.pk}"
    assert client_for(personas.manager_a).get(url).json()["name"] == "Steg till arbete"
    response = client_for(personas.admin_b).get(url)
    assert response.status_code == 404
    assert "Steg till arbete" not in response.content.decode()
    assert client_for(personas.reader_a).get(url).status_code == 403


def test_unauthenticated_refused(client, intervention):
    assert client.get(BASE).status_code == 401


def test_create(personas, codes, client_for):
    response = _post(client_for(personas.manager_a), BASE, _payload(personas))
    assert response.status_code == 201, response.content
    body = response.json()
    intervention = Intervention.objects.get(pk=body["id"])
    assert intervention.follow_up_method == "volume"
    assert len(body["party_ids"]) == 2
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(body["id"])).exists()


def test_create_outsider_404_reader_403(personas, codes, client_for):
    assert _post(client_for(personas.admin_b), BASE, _payload(personas)).status_code == 404
    assert _post(client_for(personas.reader_a), BASE, _payload(personas)).status_code == 403
    assert not Intervention.objects.exists()


def _assert_invalid(response, field, text):
    assert response.status_code in (400, 422), response.content
    body = response.json()
    assert body["code"]
    messages = [e["message"] for e in body["errors"] if e["field"] == field]
    assert any(text in m for m in messages), body


def test_create_bad_input_is_json_error(personas, codes, client_for):
    client = client_for(personas.manager_a)
    kommuner = members(personas.a)[PartyKind.KOMMUN]
    response = _post(
        client,
        BASE,
        _payload(
            personas,
            organiser_id=kommuner[0].pk,
            party_ids=[k.pk for k in kommuner],
            controller_id=kommuner[0].pk,
        ),
    )
    _assert_invalid(response, "parties", "minst två olika parter")
    response = _post(client, BASE, _payload(personas, end_date="2023-01-01"))
    _assert_invalid(response, "end_date", "före startdatum")
    response = _post(client, BASE, _payload(personas, target_groups=["finns-inte"]))
    _assert_invalid(response, "target_groups", "okänd kod")
    region_b = members(personas.b)[PartyKind.REGION][0]
    response = _post(client, BASE, _payload(personas, controller_id=region_b.pk))
    _assert_invalid(response, "controller", "inte medlem")
    assert not Intervention.objects.exists()


def test_update(personas, intervention, client_for):
    client = client_for(personas.manager_a)
    url = f"{BASE}{intervention.pk}"
    response = _patch(client, url, {"name": "Nytt", "orientation": "individual"})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Nytt"


def test_update_refuses_immutable(personas, intervention, client_for):
    url = f"{BASE}{intervention.pk}"
    response = _patch(client_for(personas.manager_a), url, {"follow_up_method": "anonymous"})
    _assert_invalid(response, "follow_up_method", "kan inte ändras")
    intervention.refresh_from_db()
    assert intervention.follow_up_method == "identified"


def test_update_outsider_404_reader_403(personas, intervention, client_for):
    url = f"{BASE}{intervention.pk}"
    assert _patch(client_for(personas.admin_b), url, {"name": "X"}).status_code == 404
    assert _patch(client_for(personas.reader_a), url, {"name": "X"}).status_code == 403
    intervention.refresh_from_db()
    assert intervention.name == "Steg till arbete"

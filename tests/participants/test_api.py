"""The participations API: start, end, follow-up, due list; outsiders get 404 and no data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from stegvis.audit.models import Action, AuditEvent
from stegvis.participants.models import Participation, Person
from tests.participants.conftest import make_pnr

pytestmark = pytest.mark.django_db

PNR = make_pnr(dt.date(1988, 9, 9), serial=77)
DIGITS = PNR.replace("-", "")
BASE = "/api/v1/participations/"


def start_body(insats, **overrides):
    body = {
        "intervention_id": insats.pk,
        "personnummer": PNR,
        "consent": {"date": "2024-03-01", "form_version": "2024:1", "scope_follow_up": True},
        "referred_by": "forsakringskassan",
        "start_date": "2024-03-01",
        "residence": "0180",
        "measurement": {
            "income_sources": ["sjukpenning"],
            "activities": [{"activity": "annan_insats", "extent_pct": 50}],
            "education_level": "gymnasial",
            "public_support_duration": "under_1_ar",
            "step": "steg_1",
        },
        "idempotency_key": "api-key-1",
    }
    body.update(overrides)
    return body


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_start_end_follow_up_and_due_list(personas, insats, client_for):
    client = client_for(personas.officer_a)
    created = post(client, BASE, start_body(insats))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["personnummer_masked"] == "19880909-****"
    assert DIGITS not in created.content.decode()
    assert data["measurements"][0]["activities"] == [{"activity": "annan_insats",
                                                      "extent_pct": 50}]
    # the same idempotency key twice: one participation
    again = post(client, BASE, start_body(insats))
    assert again.status_code == 201 and again.json()["id"] == data["id"]
    assert Participation.objects.count() == 1

    pid = data["id"]
    end_date = dt.date.today() - dt.timedelta(days=100)
    ended = post(client, f"{BASE}{pid}/end", {
        "end_date": end_date.isoformat(),
        "exit_reason": "arbete",
        "measurement": {"income_sources": ["lon_eget_foretag"],
                        "activities": [{"activity": "arbete_osubventionerat", "extent_pct": 100}],
                        "education_level": "gymnasial", "step": "steg_6"},
    })
    assert ended.status_code == 200, ended.content
    assert ended.json()["end_date"] == end_date.isoformat()

    due = client.get(f"{BASE}follow-ups/due")
    assert due.status_code == 200
    assert [(d["participation_id"], d["occasion"]) for d in due.json()] == [(pid, "followup_3m")]
    assert DIGITS not in due.content.decode()

    recorded = post(client, f"{BASE}{pid}/measurements", {
        "occasion": "followup_3m",
        "measurement": {"date": dt.date.today().isoformat(),
                        "income_sources": ["lon_eget_foretag"],
                        "activities": [{"activity": "arbete_osubventionerat", "extent_pct": 90}]},
    })
    assert recorded.status_code == 201, recorded.content
    assert client.get(f"{BASE}follow-ups/due").json() == []
    twice = post(client, f"{BASE}{pid}/measurements", {
        "occasion": "followup_3m",
        "measurement": {"income_sources": ["lon_eget_foretag"],
                        "activities": [{"activity": "arbete_osubventionerat", "extent_pct": 90}],
                        "date": dt.date.today().isoformat()},
    })
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["field"] == "occasion"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"personnummer": "19880909-0000"}, "personnummer"),
        ({"start_date": "2019-01-01",
          "consent": {"date": "2019-01-01", "form_version": "1"}}, "start_date"),
        ({"consent": {"date": "2024-03-02", "form_version": "1"}}, "consent_date"),
        ({"referred_by": "okand_kod"}, "referred_by"),
        ({"protected_identity": True}, "protected_identity"),
    ],
)
def test_bad_input_is_422_with_swedish_message_and_no_number(
    personas, insats, client_for, overrides, field
):
    response = post(client_for(personas.officer_a), BASE, start_body(insats, **overrides))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field in [e["field"] for e in body["errors"]]
    text = response.content.decode()
    assert "19880909" not in text
    assert not Person.objects.exists()


def test_extent_outside_range_via_api(personas, insats, client_for):
    body = start_body(insats)
    body["measurement"]["activities"] = [{"activity": "studier", "extent_pct": 120}]
    response = post(client_for(personas.officer_a), BASE, body)
    assert response.status_code == 422
    assert "mellan 0 och 100" in response.content.decode()


@pytest.mark.parametrize(
    "who", ["officer_b", "admin_a", "manager_a", "reader_a", "national_reader"]
)
def test_outsiders_get_404_and_no_data(personas, insats, client_for, who):
    officer = client_for(personas.officer_a)
    pid = post(officer, BASE, start_body(insats)).json()["id"]
    client = client_for(getattr(personas, who))
    for response in (
        post(client, BASE, start_body(insats, idempotency_key=f"x-{who}")),
        client.get(f"{BASE}{pid}"),
        post(client, f"{BASE}{pid}/end", {"end_date": "2024-04-01", "exit_reason": "arbete",
                                          "measurement": {}}),
        post(client, f"{BASE}{pid}/measurements", {"occasion": "interim", "measurement": {}}),
    ):
        assert response.status_code == 404
        assert "19880909" not in response.content.decode()
    due = client.get(f"{BASE}follow-ups/due")
    assert due.status_code in (200, 403)
    assert "19880909" not in due.content.decode()
    assert Participation.objects.count() == 1


def test_api_reads_are_audited(personas, insats, client_for):
    client = client_for(personas.officer_a)
    pid = post(client, BASE, start_body(insats)).json()["id"]
    before = AuditEvent.objects.filter(action=Action.READ).count()
    assert client.get(f"{BASE}{pid}").status_code == 200
    assert AuditEvent.objects.filter(action=Action.READ).count() == before + 1


def test_personnummer_is_not_a_url_parameter_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        if not path.startswith(BASE):
            continue
        assert "personnummer" not in path
        for op in operations.values():
            for param in op.get("parameters", []):
                assert "personnummer" not in param["name"]

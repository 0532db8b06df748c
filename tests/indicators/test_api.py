"""API: /api/v1/indicators and /api/v1/reports/{name}, scope, suppression and bad input."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators"
PERIOD = {"from": "2024-01-01", "to": "2024-12-31"}


def by_key(body):
    return {(i["key"], i["sex"]): i for i in body["indicators"]}


def test_indicators_exact_with_threshold_one(scenario, client_for, settings):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1
    p = scenario.personas
    r = client_for(p.reader_a).get(URL, {**PERIOD, "association": p.a.pk})
    assert r.status_code == 200, r.content
    items = by_key(r.json())
    assert items[("participants_active", "T")]["value"] == 8
    assert items[("work_or_studies_after", "K")] == {
        "key": "work_or_studies_after", "sex": "K", "value": 1.0, "numerator": 3,
        "denominator": 3, "suppressed": False, "reason": None, "preliminary": False,
    }
    from stegvis.indicators.maths import HEADLINE_KEYS

    assert {k for k, _ in items} == set(HEADLINE_KEYS)
    assert len(items) == 3 * len(HEADLINE_KEYS)


def test_indicators_suppressed_by_default(scenario, client_for):
    p = scenario.personas
    r = client_for(p.reader_a).get(URL, PERIOD)
    items = by_key(r.json())
    assert r.json()["suppression_threshold"] == 5
    assert items[("participants_active", "M")] == {
        "key": "participants_active", "sex": "M", "value": None, "numerator": None,
        "denominator": None, "suppressed": True, "reason": None, "preliminary": False,
    }
    for item in items.values():
        if not item["suppressed"] and isinstance(item["value"], int) and item["key"] in (
            "participants_active", "participants_started", "participants_ended",
        ):
            assert not 1 <= item["value"] < 5


def test_intervention_parameter_narrows(scenario, client_for, settings):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1
    p = scenario.personas
    r = client_for(p.admin_a).get(URL, {**PERIOD, "intervention": scenario.i2.pk})
    assert by_key(r.json())[("participants_active", "T")]["value"] == 1


def test_outsider_gets_404_for_a_and_never_a_figures(scenario, client_for, settings):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1
    p = scenario.personas
    c = client_for(p.admin_b)
    assert c.get(URL, {**PERIOD, "association": p.a.pk}).status_code == 404
    assert c.get(URL, {**PERIOD, "intervention": scenario.i1.pk}).status_code == 404
    assert c.get(URL, {**PERIOD, "association": [p.b.pk, p.a.pk]}).status_code == 404
    r = c.get(URL, {**PERIOD, "association": p.b.pk, "intervention": scenario.i1.pk})
    assert r.status_code == 404
    # Without parameters: only B's one participant.
    r = c.get(URL, PERIOD)
    assert by_key(r.json())[("participants_active", "T")]["value"] == 1
    assert c.get("/api/v1/reports/standard", {**PERIOD, "association": p.a.pk}).status_code == 404


def test_role_without_reports_is_403(scenario, client_for):
    p = scenario.personas
    r = client_for(p.auditor_a).get(URL, {**PERIOD, "association": p.a.pk})
    assert r.status_code == 403
    assert "behörighet" in r.json()["message"]


def test_national_reader_sees_all_aggregated(scenario, client_for, settings):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1
    r = client_for(scenario.personas.national_reader).get(URL, PERIOD)
    items = by_key(r.json())
    assert items[("participants_active", "T")]["value"] == 9  # 8 in A + 1 in B
    assert "personnummer" not in r.content.decode()


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"from": "2024-05-01", "to": "2024-04-01"}, "före startdatumet"),
        ({"from": "2024-02-30", "to": "2024-04-01"}, "kunde inte tolkas"),
        ({"from": "2000-01-01", "to": "2024-04-01"}, "högst 10 år"),
        ({"to": "2024-04-01"}, "både från- och till-datum"),
        ({**PERIOD, "association": "abc"}, "heltal"),
    ],
)
def test_bad_input_is_400_in_swedish(scenario, client_for, params, fragment):
    r = client_for(scenario.personas.reader_a).get(URL, params)
    assert r.status_code == 400
    assert fragment in r.json()["message"]
    assert r.json()["code"] == "bad_request"


def test_report_json_and_unknown_report(scenario, client_for, settings):
    p = scenario.personas
    c = client_for(p.reader_a)
    r = c.get("/api/v1/reports/deltagare", PERIOD)
    assert r.status_code == 200
    body = r.json()
    assert body["suppression_threshold"] == 5
    matrix = next(t for t in body["tables"] if t["key"] == "transition")
    hidden = [c for row in matrix["rows"] for c in row["cells"] if c["suppressed"]]
    assert hidden and all(c["value"] is None for c in hidden)
    r = c.get("/api/v1/reports/hemlig", PERIOD)
    assert r.status_code == 404
    assert "Okänd rapport" in r.json()["message"]
    assert c.get("/api/v1/reports/standard", {"from": "x", "to": "y"}).status_code == 400


def test_unauthenticated_is_401(client):
    assert client.get(URL, PERIOD).status_code == 401

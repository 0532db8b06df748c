"""Ordinary numbers in free text are accepted, a personnummer is refused at the boundary, and
implausible dates are refused; on the pages and in the API (issue 9 §5 and §7)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from stegvis.audit.models import Action, AuditEvent
from stegvis.interventions.models import AnonymousCount, Intervention, VolumeCount
from tests.interventions.test_api import BASE, _payload
from tests.interventions.test_views import _form_data

pytestmark = pytest.mark.django_db

PHONE_AND_ORGNR = "Ring 0701234567 eller skriv till 556677-8899"
PNR_TEXT = "Gäller 19730610-7405"
NEXT_YEAR_PLUS = (dt.date.today() + dt.timedelta(days=400)).isoformat()


def _create_page(client, personas, codes, **overrides):
    return client.post(
        reverse("interventions:create", args=[personas.a.pk]),
        _form_data(personas, codes, **overrides),
    )


def _create_api(client, personas, **overrides):
    return client.post(BASE, json.dumps(_payload(personas, **overrides)),
                       content_type="application/json")


@pytest.mark.parametrize("field", ["name", "description"])
def test_page_accepts_phone_and_orgnr_in_free_text(personas, codes, client_for, field):
    response = _create_page(client_for(personas.manager_a), personas, codes,
                            **{field: PHONE_AND_ORGNR})
    assert response.status_code == 302
    intervention = Intervention.objects.get()
    assert getattr(intervention, field) == PHONE_AND_ORGNR
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="interventions.intervention")
    assert "0701234567" not in json.dumps(event.details)  # masked in the audit trail


@pytest.mark.parametrize(("field", "label"), [("name", "Namn"), ("description", "Beskrivning")])
def test_page_refuses_personnummer_in_free_text(personas, codes, client_for, field, label):
    response = _create_page(client_for(personas.manager_a), personas, codes, **{field: PNR_TEXT})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{label}: texten ser ut att innehålla ett personnummer" in html
    assert not Intervention.objects.exists()


@pytest.mark.parametrize("field", ["name", "description"])
def test_api_accepts_phone_and_orgnr_in_free_text(personas, codes, client_for, field):
    response = _create_api(client_for(personas.manager_a), personas, **{field: PHONE_AND_ORGNR})
    assert response.status_code == 201, response.content
    assert response.json()[field] == PHONE_AND_ORGNR


def test_api_update_accepts_a_phone_number(personas, intervention, client_for):
    response = client_for(personas.manager_a).patch(
        f"{BASE}{intervention.pk}", json.dumps({"name": "Ring 0701234567"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Ring 0701234567"


@pytest.mark.parametrize("field", ["name", "description"])
def test_api_refuses_personnummer_in_free_text(personas, codes, client_for, field):
    response = _create_api(client_for(personas.manager_a), personas, **{field: PNR_TEXT})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == f"body.payload.{field}"
    assert body["errors"][0]["message"].startswith("Texten ser ut att innehålla ett personnummer")
    assert "7405" not in response.content.decode()
    assert not Intervention.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("1800-01-01", "", "Startdatum: datumet kan inte vara före 2004-01-01"),
        ("2003-12-31", "", "Startdatum: datumet kan inte vara före 2004-01-01"),
        ("2024-01-01", NEXT_YEAR_PLUS, "Slutdatum: datumet kan inte ligga mer än ett år fram"),
    ],
)
def test_page_refuses_implausible_insats_dates(personas, codes, client_for, start, end, message):
    response = _create_page(client_for(personas.manager_a), personas, codes,
                            start_date=start, end_date=end)
    assert message in response.content.decode()
    assert not Intervention.objects.exists()


def test_page_accepts_the_first_day_of_finsam(personas, codes, client_for):
    response = _create_page(client_for(personas.manager_a), personas, codes,
                            start_date="2004-01-01", end_date="")
    assert response.status_code == 302


@pytest.mark.parametrize("start", ["1800-01-01", NEXT_YEAR_PLUS])
def test_api_refuses_implausible_insats_dates(personas, codes, client_for, start):
    response = _create_api(client_for(personas.manager_a), personas, start_date=start)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.payload.start_date"
    assert response.json()["errors"][0]["message"].startswith("Datumet kan inte")
    assert not Intervention.objects.exists()


def test_service_refuses_implausible_dates_whatever_the_caller(personas, intervention):
    from stegvis.interventions import services

    with pytest.raises(Exception) as caught:
        services.intervention_update(actor=personas.manager_a, intervention=intervention,
                                     start_date=dt.date(1800, 1, 1))
    assert "före 2004-01-01" in str(caught.value)


def test_budget_year_and_counts_refuse_implausible_years(personas, intervention, client_for):
    client = client_for(personas.manager_a)
    response = client.post(reverse("interventions:year", args=[intervention.pk]),
                           {"year": "1999", "planned_participants": "2"})
    assert "År: året kan inte vara före 2004" in response.content.decode()
    response = client.post(reverse("interventions:anonymous", args=[intervention.pk]),
                           {"start_year": "1999", "women": "1", "men": "1"})
    assert "Startår: året kan inte vara före 2004" in response.content.decode()
    assert not AnonymousCount.objects.exists()


def test_volume_period_refuses_implausible_dates(personas, volume_intervention, client_for):
    client = client_for(personas.manager_a)
    response = client.post(
        reverse("interventions:volume", args=[volume_intervention.pk]),
        {"period_start": "1900-01-01", "period_end": "1900-12-31", "total": "3"},
    )
    assert "Periodens början: datumet kan inte vara före 2004-01-01" in response.content.decode()
    assert not VolumeCount.objects.exists()

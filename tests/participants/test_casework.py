"""Participant lists (filter, sort, paging) and the coach's casework: reference, coach, insats."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stegvis.access.models import InterventionAssignment
from stegvis.access.roles import Role
from stegvis.audit.models import Action, AuditEvent
from stegvis.participants import services
from stegvis.participants.models import Participation
from tests import factories
from tests.participants.conftest import (
    consent,
    end_measurement,
    make_intervention,
    make_pnr,
    start_measurement,
)

pytestmark = pytest.mark.django_db


def start(personas, insats, born: dt.date, day: dt.date, *, serial: int = 1, actor=None):
    return services.participation_start(
        actor=actor or personas.officer_a, intervention=insats,
        personnummer=make_pnr(born, serial=serial), consent=consent(day),
        protected_identity=False, referred_by="kommun", start_date=day, residence="0136",
        measurement=start_measurement(),
    )


@pytest.fixture
def colleague(personas, insats):
    user = factories.UserFactory(username="kollega", first_name="Karin", last_name="Kollega")
    factories.grant(user, Role.PARTICIPANT_OFFICER.value, personas.a)
    factories.totp(user)
    InterventionAssignment.objects.create(intervention=insats, user=user)
    return user


def test_list_filters_sorts_and_pages(personas, insats, colleague, client_for):
    first = start(personas, insats, dt.date(1980, 1, 1), dt.date(2024, 2, 1), serial=1)
    second = start(personas, insats, dt.date(1981, 1, 1), dt.date(2025, 3, 1), serial=2)
    start(personas, insats, dt.date(1982, 1, 1), dt.date(2025, 4, 1), serial=3, actor=colleague)
    services.participation_end(
        actor=personas.officer_a, participation=first, end_date=dt.date(2024, 6, 1),
        exit_reason="arbete", measurement=end_measurement(),
    )
    client = client_for(personas.officer_a)
    url = reverse("participants:intervention", args=[insats.pk])

    def shown(**query) -> list[str]:
        html = client.get(url, query).content.decode()
        return [p.pk for p in Participation.objects.all() if
                f'href="{reverse("participants:detail", args=[p.pk])}"' in html]

    assert sorted(shown()) == sorted(Participation.objects.values_list("pk", flat=True))
    assert shown(status="ended") == [first.pk]
    assert first.pk not in shown(status="open")
    assert shown(start_year="2024") == [first.pk]
    assert sorted(shown(coach=str(personas.officer_a.pk))) == sorted([first.pk, second.pk])
    assert len(shown(coach=str(colleague.pk))) == 1
    html = client.get(url, {"sort": "start"}).content.decode()
    assert html.index(f'/deltagare/{first.pk}/"') < html.index(f'/deltagare/{second.pk}/"')
    html = client.get(url, {"sort": "-start"}).content.decode()
    assert html.index(f'/deltagare/{first.pk}/"') > html.index(f'/deltagare/{second.pk}/"')
    assert "Karin Kollega" in html


def test_list_pages_keep_the_filter_and_bound_the_queries(personas, insats, client_for):
    for i in range(30):
        start(personas, insats, dt.date(1970 + i, 1, 1), dt.date(2025, 1, 1 + i % 28), serial=i)
    client = client_for(personas.officer_a)
    url = reverse("participants:intervention", args=[insats.pk])
    with CaptureQueriesContext(connection) as full:
        html = client.get(url, {"status": "open"}).content.decode()
    assert "sida 1 av 2" in html and "?status=open&amp;page=2" in html
    second = client.get(url, {"status": "open", "page": "2"}).content.decode()
    assert second.count('href="/deltagare/') - second.count("/deltagare/insats") >= 5
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"status": "open", "page": "2"})
    assert len(full) == len(small)  # 25 rows cost no more queries than 5


def test_own_reference_is_kept_and_refuses_a_personnummer(personas, insats, client_for):
    p = start(personas, insats, dt.date(1990, 5, 17), dt.date(2025, 1, 10))
    client = client_for(personas.officer_a)
    url = reverse("participants:reference", args=[p.pk])
    refused = client.post(url, {"own_reference": "Anna 19900517-0018"})
    assert refused.status_code == 400 and "inget personnummer" in refused.content.decode()
    p.refresh_from_db()
    assert p.own_reference == ""
    assert client.post(url, {"own_reference": "Anna, tisdagar"}).status_code == 302
    p.refresh_from_db()
    assert p.own_reference == "Anna, tisdagar"
    listing = client.get(reverse("participants:intervention", args=[insats.pk])).content.decode()
    assert "Anna, tisdagar" in listing
    event = AuditEvent.objects.filter(action=Action.UPDATE, details__own_reference="ändrad").get()
    assert "Anna" not in str(event.details)
    # Someone not assigned to the insats cannot write it.
    other = client_for(personas.officer_b).post(url, {"own_reference": "x"})
    assert other.status_code == 404


def test_participation_moves_to_another_coach(personas, insats, colleague, client_for):
    p = start(personas, insats, dt.date(1990, 5, 17), dt.date(2025, 1, 10))
    client = client_for(personas.officer_a)
    detail = client.get(reverse("participants:detail", args=[p.pk])).content.decode()
    assert "Karin Kollega" in detail
    url = reverse("participants:coach_move", args=[p.pk])
    assert client.post(url, {"coach": ""}).status_code == 400
    assert client.post(url, {"coach": str(colleague.pk)}).status_code == 302
    p.refresh_from_db()
    assert p.current_coach_id == colleague.pk
    event = AuditEvent.objects.filter(action=Action.UPDATE, details__coach=colleague.pk).get()
    assert event.details["coach_before"] == personas.officer_a.pk


def test_person_moves_to_another_insats(personas, insats, client_for):
    p = start(personas, insats, dt.date(1990, 5, 17), dt.date(2025, 1, 10))
    other = make_intervention(personas.a, name="Nästa steg")
    InterventionAssignment.objects.create(intervention=other, user=personas.officer_a)
    client = client_for(personas.officer_a)
    detail = client.get(reverse("participants:detail", args=[p.pk])).content.decode()
    assert "Nästa steg" in detail
    url = reverse("participants:intervention_move", args=[p.pk])
    assert client.post(url, {"target": str(insats.pk)}).status_code == 400  # not the same one
    assert client.post(url, {"target": str(other.pk)}).status_code == 302
    p.refresh_from_db()
    assert p.intervention_id == other.pk
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, details__intervention_before=insats.pk
    ).exists()

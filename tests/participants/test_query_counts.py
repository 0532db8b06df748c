"""Query-count guards: the worklist and the participant lists cost the same number of queries
however many participants they show (an N+1 would add queries per row and fail these)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from stegvis.participants import services
from tests.participants.conftest import consent, end_measurement, make_pnr, start_measurement

pytestmark = pytest.mark.django_db

ROWS = 6  # several participants, so that per-row queries would show
# What each page costs today (the same with 2 rows as with 6), sign-in and audit included.
WORKLIST = 21
INTERVENTION_PARTICIPANTS = 19
PARTICIPANTS_INDEX = 19


def birth(n: int) -> dt.date:
    return dt.date(1980 + n, 3, 1 + n)


def shown(n: int) -> str:
    """How the list shows person ``n``: the date of birth, the last four digits masked."""
    return f"{birth(n):%Y%m%d}-****"


def register_several(personas, insats, *, ended: bool) -> list:
    today = dt.date.today()
    people = []
    for n in range(ROWS):
        start = today - dt.timedelta(days=400 + n)
        p = services.participation_start(
            actor=personas.officer_a, intervention=insats,
            personnummer=make_pnr(birth(n), woman=n % 2 == 0, serial=50 + n),
            consent=consent(start), protected_identity=False, referred_by="kommun",
            start_date=start, residence="0136" if n % 2 else "0180",
            measurement=start_measurement(),
        )
        if ended:
            p = services.participation_end(
                actor=personas.officer_a, participation=p,
                end_date=today - dt.timedelta(days=200 + n), exit_reason="arbete",
                measurement=end_measurement(),
            )
        people.append(p)
    return people


def test_the_worklist_costs_the_same_however_many_follow_ups_are_due(
    personas, insats, client_for, django_assert_max_num_queries
):
    register_several(personas, insats, ended=True)
    client = client_for(personas.officer_a)
    with django_assert_max_num_queries(WORKLIST):
        response = client.get(reverse("followup:worklist"))
    html = response.content.decode()
    assert all(shown(n) in html for n in range(ROWS)) and "Försenad" in html


def test_the_participant_list_of_an_insats_costs_the_same_however_many_it_shows(
    personas, insats, client_for, django_assert_max_num_queries
):
    people = register_several(personas, insats, ended=False)
    client = client_for(personas.officer_a)
    with django_assert_max_num_queries(INTERVENTION_PARTICIPANTS):
        response = client.get(reverse("participants:intervention", args=[insats.pk]))
    html = response.content.decode()
    assert all(reverse("participants:detail", args=[p.pk]) in html for p in people)


def test_the_participants_start_page_costs_the_same_however_many_it_counts(
    personas, insats, client_for, django_assert_max_num_queries
):
    register_several(personas, insats, ended=True)
    client = client_for(personas.officer_a)
    with django_assert_max_num_queries(PARTICIPANTS_INDEX):
        response = client.get(reverse("participants:index"))
    assert response.status_code == 200 and insats.name in response.content.decode()

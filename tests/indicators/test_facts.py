"""The fact layer follows every participant service at once; rebuild is atomic and complete."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from stegvis.audit.models import AuditEvent
from stegvis.indicators import periods, selectors
from stegvis.participants import services as ps
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import Measurement, ParticipationFact
from tests.indicators.conftest import end, follow, m, make_pnr, start

pytestmark = pytest.mark.django_db


def active(user, association_id):
    q = selectors.resolve_query(user=user, period=periods.year_period(2024),
                                association_ids=[association_id])
    return selectors.headline(user=user, query=q)


def test_registration_is_visible_in_the_indicators_immediately(scenario):
    p = scenario.personas
    before = active(p.reader_a, p.a.pk)
    new = start(p.officer_a, scenario.i1, make_pnr(dt.date(1992, 2, 2), woman=True),
                dt.date(2024, 9, 1), m(["forsorjningsstod"], [("ingen", 0)], 0))
    after = active(p.reader_a, p.a.pk)
    for key, sex in (("participants_active", "K"), ("participants_started", "T")):
        assert after[(key, sex)].value == before[(key, sex)].value + 1
    # Ending it puts it in the outcome cohort at once.
    end(p.officer_a, new, dt.date(2024, 10, 1), "arbete",
        m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)], 6))
    ended = active(p.reader_a, p.a.pk)
    assert ended[("work_or_studies_after", "K")].numerator == 4
    assert ended[("work_or_studies_after", "K")].denominator == 4


def test_every_participant_service_refreshes_its_fact_row(scenario):
    p = scenario.personas
    officer = p.officer_a
    new = start(officer, scenario.i1, make_pnr(dt.date(1991, 3, 3), woman=False),
                dt.date(2024, 1, 5), m(["a_kassa"], [("aktivt_arbetssokande", 100)], 3))
    fact = ParticipationFact.objects.get(participation=new)
    assert (fact.sex, fact.age_group, fact.start_step, fact.has_end) == ("M", "30_39", 3, False)
    end(officer, new, dt.date(2024, 2, 5), "arbete",
        m(["lon_eget_foretag"], [("arbete_osubventionerat", 80)], 6))
    fact.refresh_from_db()
    assert (fact.end_extent, fact.end_step, fact.complete, fact.exit_reason) == (
        80, 6, True, "arbete"
    )
    follow(officer, new, "followup_3m", dt.date(2024, 5, 5),
           m(["studiemedel"], [("studier", 100)]))
    fact.refresh_from_db()
    assert (fact.fu3_measured, fact.fu3_work_or_studies, fact.fu3_no_public_support) == (
        True, True, True
    )
    end_m = Measurement.objects.get(participation=new, occasion="end")
    ps.measurement_correct(
        actor=officer, measurement=end_m,
        values=m(["a_kassa"], [("aktivt_arbetssokande", 100)], 4,
                 education_level="gymnasial"),
    )
    fact.refresh_from_db()
    assert (fact.end_work_or_studies, fact.end_no_public_support, fact.end_step) == (
        False, False, 4
    )
    ps.participation_mark_error(actor=officer, participation=new, reason="Dubbelregistrerad")
    fact.refresh_from_db()
    assert fact.is_error
    other = start(officer, scenario.i1, make_pnr(dt.date(1993, 4, 4), woman=True),
                  dt.date(2024, 1, 6), m(["a_kassa"], [("aktivt_arbetssokande", 100)], 3))
    assert ParticipationFact.objects.filter(participation=other).exists()
    ps.consent_withdraw(actor=officer, participation=other)
    assert not ParticipationFact.objects.filter(participation=other).exists()


def test_rebuild_command_restores_everything_atomically(scenario):
    expected = sorted(
        ParticipationFact.objects.values_list("participation_id", "sex", "age_group",
                                              "complete", "end_income", "fu12_measured")
    )
    ParticipationFact.objects.all().delete()
    call_command("rebuild_facts")
    assert sorted(
        ParticipationFact.objects.values_list("participation_id", "sex", "age_group",
                                              "complete", "end_income", "fu12_measured")
    ) == expected
    assert AuditEvent.objects.filter(object_type="indicators.participationfact").exists()


def test_refresh_of_unknown_ids_is_harmless(scenario):
    assert refresh_participation_facts([999999]) == 0


def test_registration_fast_path_writes_the_same_fact_as_a_full_refresh(scenario):
    """participation_start builds its fact row from memory; a full re-read must agree."""
    p = scenario.personas
    fields = [f.name for f in ParticipationFact._meta.concrete_fields if not f.primary_key]
    new = start(p.officer_a, scenario.i1, make_pnr(dt.date(1990, 6, 6), woman=True),
                dt.date(2024, 3, 1),
                m(["forsorjningsstod", "sjukpenning"], [("annan_insats", 50), ("studier", 25)], 2))
    fact = ParticipationFact.objects.get(participation=new)
    from_memory = {f: getattr(fact, f) for f in fields}
    assert from_memory["start_income"] and from_memory["start_extent"] == 25
    refresh_participation_facts([new.pk])
    fact.refresh_from_db()
    assert {f: getattr(fact, f) for f in fields} == from_memory

"""A hand-built scenario for the indicators: a dozen participations with known states.

Förbund A has insatser I1 and I2 (identified) and I3 (volume); förbund B one insats with one
participant, which must never show in A's figures. Expected values are computed by hand in
the tests (see test_scenario.py). Everything is registered through the participant services.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from stegvis.access.models import InterventionAssignment
from stegvis.interventions.models import (
    AnonymousCount,
    BudgetLine,
    Intervention,
    InterventionYear,
    VolumeCount,
)
from stegvis.lib import personnummer as pnr
from stegvis.participants import services as ps
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import Participation
from stegvis.participants.services import ConsentInput, MeasurementInput
from stegvis.reference.models import Code, CodeList
from tests import factories

_serial = itertools.count(20)


def make_pnr(birth: dt.date, *, woman: bool, serial: int | None = None) -> str:
    n = serial if serial is not None else next(_serial) % 100
    sex_digit = 2 if woman else 3
    body = f"{birth:%y%m%d}{n:02d}{sex_digit}"
    return f"{birth.year // 100}{birth:%y%m%d}-{n:02d}{sex_digit}{pnr.check_digit(body)}"


def make_intervention(association: Any, name: str, **overrides: Any) -> Intervention:
    """An identified, individual insats (see tests.factories.InterventionFactory)."""
    return factories.InterventionFactory(association=association, name=name, **overrides)


def m(income: list[str], activities: list[tuple[str, int]], step: int | None = None,
      **extra: Any) -> MeasurementInput:
    return MeasurementInput(
        income_sources=income,
        activities=activities,
        step=f"steg_{step}" if step is not None else None,
        **extra,
    )


@dataclass
class Scenario:
    personas: Any
    i1: Intervention
    i2: Intervention
    i3: Intervention
    ib: Intervention
    p: dict[str, Participation]


def start(actor: Any, intervention: Intervention, personnummer: str, day: dt.date,
          measurement: MeasurementInput, *, follow_up: bool = True,
          residence: str = "0180") -> Participation:
    measurement.education_level = measurement.education_level or "gymnasial"
    measurement.public_support_duration = measurement.public_support_duration or "1_2_ar"
    return ps.participation_start(
        actor=actor,
        intervention=intervention,
        personnummer=personnummer,
        consent=ConsentInput(date=day, form_version="2024:1", scope_follow_up=follow_up),
        protected_identity=False,
        referred_by="forsakringskassan",
        start_date=day,
        residence=residence,
        measurement=measurement,
    )


def end(actor: Any, p: Participation, day: dt.date, reason: str,
        measurement: MeasurementInput) -> Participation:
    measurement.education_level = measurement.education_level or "gymnasial"
    return ps.participation_end(
        actor=actor, participation=p, end_date=day, exit_reason=reason, measurement=measurement
    )


def follow(actor: Any, p: Participation, occasion: str, day: dt.date,
           measurement: MeasurementInput) -> None:
    measurement.date = day
    ps.measurement_record(actor=actor, participation=p, occasion=occasion,
                          measurement=measurement)


@pytest.fixture
def scenario(personas) -> Scenario:
    a, b = personas.a, personas.b
    officer, officer_b = personas.officer_a, personas.officer_b
    for u in (officer, officer_b):
        factories.totp(u)
    i1 = make_intervention(a, "Steg till arbete")
    i1.target_groups.set([Code.objects.get(list=CodeList.TARGET_GROUP, key="psykisk_ohalsa")])
    i2 = make_intervention(a, "Unga vuxna")
    i2.target_groups.set([Code.objects.get(list=CodeList.TARGET_GROUP, key="nyanlanda")])
    i3 = make_intervention(a, "Seminarier", orientation="structural", follow_up_method="volume")
    ib = make_intervention(b, "Beta-insatsen")
    for i in (i1, i2):
        InterventionAssignment.objects.create(intervention=i, user=officer)
    InterventionAssignment.objects.create(intervention=ib, user=officer_b)

    p: dict[str, Participation] = {}
    pnr1 = make_pnr(dt.date(1990, 5, 5), woman=True)
    # P1 K: 2023-03-01 – 2024-02-15, follow-ups at 3 and 6 months.
    p["P1"] = start(officer, i1, pnr1, dt.date(2023, 3, 1),
                    m(["sjukpenning"], [("annan_insats", 50)], 1))
    end(officer, p["P1"], dt.date(2024, 2, 15), "arbete",
        m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)], 6))
    follow(officer, p["P1"], "followup_3m", dt.date(2024, 5, 15),
           m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)]))
    follow(officer, p["P1"], "followup_6m", dt.date(2024, 8, 15),
           m(["a_kassa"], [("aktivt_arbetssokande", 100)]))
    # P2 K: 2024-01-10 – 2024-06-30, 3-month follow-up.
    p["P2"] = start(officer, i1, make_pnr(dt.date(1999, 1, 10), woman=True), dt.date(2024, 1, 10),
                    m(["forsorjningsstod"], [("ingen", 0)], 0), residence="0136")
    end(officer, p["P2"], dt.date(2024, 6, 30), "studier",
        m(["forsorjningsstod", "studiemedel"], [("studier", 50)], 4))
    follow(officer, p["P2"], "followup_3m", dt.date(2024, 9, 30),
           m(["studiemedel"], [("studier", 100)]))
    # P3 M: 2024-02-01 – 2024-10-31, no consent to follow-up.
    p["P3"] = start(officer, i1, make_pnr(dt.date(1980, 2, 2), woman=False), dt.date(2024, 2, 1),
                    m(["a_kassa"], [("aktivt_arbetssokande", 100)], 4), follow_up=False)
    end(officer, p["P3"], dt.date(2024, 10, 31), "planenligt_avslut",
        m(["a_kassa"], [("aktivt_arbetssokande", 100)], 4))
    # P4 M: open since 2024-03-01.
    p["P4"] = start(officer, i1, make_pnr(dt.date(1970, 7, 7), woman=False), dt.date(2024, 3, 1),
                    m(["sjukersattning"], [("annan_insats", 25)], 2))
    # P5 K: open since 2024-04-01.
    p["P5"] = start(officer, i1, make_pnr(dt.date(2002, 3, 3), woman=True), dt.date(2024, 4, 1),
                    m(["aktivitetsersattning"], [("annan_insats", 50)], 2))
    # P6 M: 2022-01-10 – 2023-06-30 (before the period); 12-month follow-up on 2024-06-30.
    p["P6"] = start(officer, i1, make_pnr(dt.date(1995, 9, 9), woman=False), dt.date(2022, 1, 10),
                    m(["forsorjningsstod"], [("ingen", 0)], 0))
    end(officer, p["P6"], dt.date(2023, 6, 30), "arbete",
        m(["forsorjningsstod"], [("arbete_med_stod", 50)], 5))
    follow(officer, p["P6"], "followup_12m", dt.date(2024, 6, 30),
           m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)]))
    # P7 K: 2024-05-05 – 2024-11-30.
    p["P7"] = start(officer, i1, make_pnr(dt.date(1985, 12, 12), woman=True), dt.date(2024, 5, 5),
                    m(["sjukpenning", "annan_ersattning"],
                      [("annan_insats", 50), ("arbete_med_stod", 25)], 3))
    end(officer, p["P7"], dt.date(2024, 11, 30), "ohalsa",
        m(["sjukpenning"], [("arbete_med_stod", 50)], 3))
    # P8 M: felregistrering.
    p["P8"] = start(officer, i1, make_pnr(dt.date(1990, 1, 1), woman=False), dt.date(2024, 6, 1),
                    m(["a_kassa"], [("studier", 100)], 5))
    ps.participation_mark_error(actor=officer, participation=p["P8"], reason="Fel insats")
    # P9 M: 2023-11-01 – 2024-03-31; 3-month follow-up missing, 6-month made.
    p["P9"] = start(officer, i1, make_pnr(dt.date(1960, 6, 6), woman=False), dt.date(2023, 11, 1),
                    m(["sjukpenning"], [("annan_insats", 100)], 2))
    end(officer, p["P9"], dt.date(2024, 3, 31), "eget_avbrott",
        m(["ingen_ersattning"], [("ingen", 0)], 1))
    follow(officer, p["P9"], "followup_6m", dt.date(2024, 9, 30),
           m(["forsorjningsstod"], [("ingen", 0)]))
    # P10 K: the person of P1 again, in I2, open since 2024-03-01.
    p["P10"] = start(officer, i2, pnr1, dt.date(2024, 3, 1),
                     m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)], 6))
    # P11 K: started 2024-08-01, then withdrew consent (becomes an anonymous count).
    p["P11"] = start(officer, i1, make_pnr(dt.date(1975, 4, 4), woman=True), dt.date(2024, 8, 1),
                     m(["sjukpenning"], [("annan_insats", 50)], 1))
    ps.consent_withdraw(actor=officer, participation=p["P11"])
    # P12 M in förbund B.
    p["P12"] = start(officer_b, ib, make_pnr(dt.date(1988, 8, 8), woman=False),
                     dt.date(2024, 2, 2), m(["a_kassa"], [("aktivt_arbetssokande", 100)], 4),
                     residence="1480")

    # Anonymous count of I1 for 2024 (women 3 + the withdrawn one, men 2); volume counts of I3.
    ac = AnonymousCount.objects.get(intervention=i1, start_year=2024)
    AnonymousCount.objects.filter(pk=ac.pk).update(women=ac.women + 3, men=ac.men + 2)
    VolumeCount.objects.create(intervention=i3, period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 6, 30), total=40, women=25, men=15)
    VolumeCount.objects.create(intervention=i3, period_start=dt.date(2023, 1, 1),
                               period_end=dt.date(2023, 6, 30), total=99, women=50, men=49)
    # Budget and actual cost 2024: I1 800 000 kr, I2 200 000 kr.
    for i, actual, planned in ((i1, 800_000, 20), (i2, 200_000, 5)):
        year = InterventionYear.objects.create(intervention=i, year=2024,
                                               planned_participants=planned)
        BudgetLine.objects.create(intervention_year=year, kind="insatskostnad",
                                  budget=actual + 100_000, actual=actual)
    refresh_participation_facts(Participation.objects.values_list("pk", flat=True))
    return Scenario(personas=personas, i1=i1, i2=i2, i3=i3, ib=ib, p=p)

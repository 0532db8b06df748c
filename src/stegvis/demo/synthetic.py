"""Synthetic participants with realistic distributions. Pure: no Django imports.

Calibrated on the old register's national figures (domain.md §4): 52–57 % women, ages weighted
to 16–29 and 30–49, start states dominated by sjukpenning, aktivitetsersättning and
försörjningsstöd, about 30 % in work or studies at the end, follow-ups for most of those who
consent to them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from stegvis.lib import luhn
from stegvis.lib.dates import add_months

WOMEN_SHARE = 0.55
AGE_WEIGHTS = ((16, 19, 10), (20, 24, 20), (25, 29, 18), (30, 39, 22), (40, 49, 17),
               (50, 59, 10), (60, 64, 3))
START_INCOME = (("sjukpenning", 30), ("aktivitetsersattning", 22), ("forsorjningsstod", 28),
                ("sjukersattning", 5), ("a_kassa", 4), ("aktivitetsstod", 6),
                ("etableringsersattning", 3), ("ingen_ersattning", 2))
START_ACTIVITY = (("annan_insats", 55), ("ingen", 30), ("aktivt_arbetssokande", 10),
                  ("studier", 3), ("arbete_med_stod", 2))
EDUCATION = (("forgymnasial_under_9", 10), ("forgymnasial_9_10", 22), ("gymnasial", 45),
             ("eftergymnasial_under_3", 10), ("eftergymnasial_3_eller_mer", 8), ("okand", 5))
DURATION = (("under_1_ar", 20), ("1_2_ar", 25), ("2_5_ar", 30), ("5_10_ar", 17), ("over_10_ar", 8))
REFERRED_BY = (("forsakringskassan", 30), ("arbetsformedlingen", 25), ("kommun", 30),
               ("region", 10), ("egen_anmalan", 4), ("annan", 1))
WORK_OR_STUDIES_AT_END = 0.30
FOLLOW_UP_CONSENT = 0.85
FOLLOW_UP_RECORDED = 0.85


@dataclass
class MeasurementPlan:
    date: dt.date
    income_sources: list[str]
    activities: list[tuple[str, int]]
    education_level: str | None = None
    public_support_duration: str | None = None
    step: str | None = None
    rating_work: int | None = None


@dataclass
class ParticipantPlan:
    personnummer: str
    sex: str  # "K" or "M"
    referred_by: str
    start_date: dt.date
    consent_follow_up: bool
    start: MeasurementPlan
    end_date: dt.date | None = None
    exit_reason: str | None = None
    end: MeasurementPlan | None = None
    follow_ups: list[tuple[int, MeasurementPlan]] = field(default_factory=list)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    keys, weights = zip(*weighted, strict=True)
    return rng.choices(keys, weights=weights)[0]


def personnummer(rng: random.Random, birth: dt.date, sex: str) -> str:
    """A checksum-valid 12-digit personnummer ``YYYYMMDD-NNNC`` (third serial digit: sex)."""
    serial = f"{rng.randint(0, 99):02d}"
    sex_digit = rng.choice("02468" if sex == "K" else "13579")
    body = f"{birth:%y%m%d}{serial}{sex_digit}"
    return f"{birth:%Y%m%d}-{serial}{sex_digit}{luhn.check_digit(body)}"


def _age(rng: random.Random) -> int:
    low, high, _w = rng.choices(AGE_WEIGHTS, weights=[w for *_r, w in AGE_WEIGHTS])[0]
    return rng.randint(low, high)


def _start_measurement(rng: random.Random, day: dt.date, age: int) -> MeasurementPlan:
    income = _pick(rng, START_INCOME)
    if age < 30 and income == "sjukersattning":
        income = "aktivitetsersattning"
    activity = _pick(rng, START_ACTIVITY)
    extent = 0 if activity == "ingen" else rng.choice((25, 50, 50, 75))
    return MeasurementPlan(
        date=day,
        income_sources=[income],
        activities=[(activity, extent)],
        education_level=_pick(rng, EDUCATION),
        public_support_duration=_pick(rng, DURATION),
        step=f"steg_{rng.choice((0, 1, 1, 2, 2, 3))}",
        rating_work=rng.randint(1, 5),
    )


def _outcome(rng: random.Random, day: dt.date, start: MeasurementPlan, success: float,
             ) -> MeasurementPlan:
    if rng.random() < success:
        activity = rng.choice(("arbete_osubventionerat", "arbete_med_stod", "studier",
                               "arbete_med_stod"))
        income = {"arbete_osubventionerat": "lon_eget_foretag", "arbete_med_stod":
                  "lon_eget_foretag", "studier": "studiemedel"}[activity]
        sources = [income] if rng.random() < 0.7 else [income, start.income_sources[0]]
        return MeasurementPlan(day, sources, [(activity, rng.choice((50, 75, 100, 100)))],
                               education_level=start.education_level,
                               step=f"steg_{rng.choice((5, 6, 6))}", rating_work=rng.randint(6, 10))
    activity = rng.choice(("aktivt_arbetssokande", "annan_insats", "ingen", "annan_insats"))
    extent = 0 if activity == "ingen" else rng.choice((25, 50, 75))
    return MeasurementPlan(day, list(start.income_sources), [(activity, extent)],
                           education_level=start.education_level,
                           step=f"steg_{rng.choice((1, 2, 3, 4, 4))}",
                           rating_work=rng.randint(2, 7))


EXIT_FOR_ACTIVITY = {"arbete_osubventionerat": "arbete", "arbete_med_stod": "arbete",
                     "studier": "studier", "aktivt_arbetssokande": "aktivt_arbetssokande"}


def participant(rng: random.Random, *, earliest: dt.date, latest: dt.date, today: dt.date,
                ) -> ParticipantPlan:
    """One participation starting in [earliest, latest], ended if its end is before today."""
    sex = "K" if rng.random() < WOMEN_SHARE else "M"
    start_date = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
    age = _age(rng)
    birth = dt.date(start_date.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
    birth = birth if (start_date - birth).days // 365 >= 16 else dt.date(birth.year - 1, 1, 15)
    start = _start_measurement(rng, start_date, age)
    plan = ParticipantPlan(
        personnummer=personnummer(rng, birth, sex),
        sex=sex,
        referred_by=_pick(rng, REFERRED_BY),
        start_date=start_date,
        consent_follow_up=rng.random() < FOLLOW_UP_CONSENT,
        start=start,
    )
    end_date = add_months(start_date, rng.randint(2, 14)) + dt.timedelta(days=rng.randint(0, 20))
    if end_date >= today:
        return plan
    plan.end_date = end_date
    plan.end = _outcome(rng, end_date, start, WORK_OR_STUDIES_AT_END)
    plan.exit_reason = EXIT_FOR_ACTIVITY.get(plan.end.activities[0][0]) or rng.choice(
        ("planenligt_avslut", "planenligt_avslut", "annan_insats", "ohalsa", "eget_avbrott"))
    if plan.consent_follow_up:
        previous = plan.end
        for months in (3, 6, 12):
            day = add_months(end_date, months)
            if day > today or rng.random() > FOLLOW_UP_RECORDED:
                continue
            previous = _outcome(rng, day, previous if previous else start,
                                0.8 if previous.activities[0][0] in EXIT_FOR_ACTIVITY else 0.12)
            plan.follow_ups.append((months, previous))
    return plan

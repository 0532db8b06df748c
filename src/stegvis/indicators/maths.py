"""Indicator definitions and their maths over fact rows (indicators.md). Pure: no Django.

The reports compute the same figures in SQL (``selectors.py``); :func:`headline_from_facts`
is the reference implementation over plain rows, used by tests and for small sets.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from stegvis.lib.dates import add_months
from stegvis.lib.i18n import gettext_noop
from stegvis.participants.fact_rules import MeasurementFacts  # a fact row's rules, with its writer

# The headline follow-ups (every förbund); the long horizons a förbund may add are reported in
# the Uppföljningsrapport only, for the förbund that chose them.
FOLLOW_UP_MONTHS: Final = (3, 6, 12)
LONG_FOLLOW_UP_MONTHS: Final = (24, 36)
REPORTED_FOLLOW_UP_MONTHS: Final = FOLLOW_UP_MONTHS + LONG_FOLLOW_UP_MONTHS

# Headline keys in report order: (key, kind, Swedish label). Kinds: count, rate, median, amount.
# The labels and reasons below are msgids: the Django layer translates them where it shows them.
HEADLINE: Final[tuple[tuple[str, str, str], ...]] = (
    ("participants_active", "count", gettext_noop("Aktiva deltaganden")),
    ("persons_active", "count", gettext_noop("Aktiva personer")),
    ("participants_started", "count", gettext_noop("Påbörjade deltaganden")),
    ("participants_ended", "count", gettext_noop("Avslutade deltaganden")),
    ("anonymous_started", "count", gettext_noop("Anonyma deltagare (startår i perioden)")),
    ("volume_count", "count", gettext_noop("Volymräkning")),
    ("work_or_studies_before", "rate", gettext_noop("I arbete eller studier före")),
    ("work_or_studies_after", "rate", gettext_noop("I arbete eller studier efter")),
    ("no_public_support_before", "rate", gettext_noop("Utan offentlig försörjning före")),
    ("no_public_support_after", "rate", gettext_noop("Utan offentlig försörjning efter")),
    (
        "started_or_increased_extent",
        "rate",
        gettext_noop("Påbörjat eller ökat omfattning av arbete/studier"),
    ),
    ("step_progress", "rate", gettext_noop("Förflyttat sig uppåt på stegen")),
    ("median_days_in_intervention", "median", gettext_noop("Mediantid i insatsen (dagar)")),
    ("followup_3m_response", "rate", gettext_noop("Uppföljning 3 mån: svarsandel")),
    (
        "followup_3m_work_or_studies",
        "rate",
        gettext_noop("Uppföljning 3 mån: i arbete eller studier"),
    ),
    (
        "followup_3m_no_public_support",
        "rate",
        gettext_noop("Uppföljning 3 mån: utan offentlig försörjning"),
    ),
    ("followup_6m_response", "rate", gettext_noop("Uppföljning 6 mån: svarsandel")),
    (
        "followup_6m_work_or_studies",
        "rate",
        gettext_noop("Uppföljning 6 mån: i arbete eller studier"),
    ),
    (
        "followup_6m_no_public_support",
        "rate",
        gettext_noop("Uppföljning 6 mån: utan offentlig försörjning"),
    ),
    ("followup_12m_response", "rate", gettext_noop("Uppföljning 12 mån: svarsandel")),
    (
        "followup_12m_work_or_studies",
        "rate",
        gettext_noop("Uppföljning 12 mån: i arbete eller studier"),
    ),
    (
        "followup_12m_no_public_support",
        "rate",
        gettext_noop("Uppföljning 12 mån: utan offentlig försörjning"),
    ),
    ("cost_per_participant", "amount", gettext_noop("Kostnad per deltagare (kr)")),
)
HEADLINE_KEYS: Final = tuple(k for k, _, _ in HEADLINE)
HEADLINE_KIND: Final = {k: kind for k, kind, _ in HEADLINE}
HEADLINE_LABEL: Final = {k: label for k, _, label in HEADLINE}

# Reasons for a value that is not applicable / not available (shown as "–" with the reason).
REASON_CALENDAR_YEAR: Final = gettext_noop("räknas per kalenderår")
REASON_ANONYMOUS_FILTER: Final = gettext_noop(
    "anonyma deltagare kan inte avgränsas efter ålder eller bostadskommun"
)
REASON_VOLUME_FILTER: Final = gettext_noop(
    "volymräkningar kan inte avgränsas efter kön, ålder eller bostadskommun"
)
REASON_COST_SEX: Final = gettext_noop("ej tillämplig: kostnaderna fördelas inte på kön")
REASON_COST_FILTER: Final = gettext_noop(
    "inte tillgänglig: kostnaden kan inte avgränsas efter kön, ålder eller bostadskommun"
)
REASON_NO_COST: Final = gettext_noop("utfall saknas")
REASON_NO_PEOPLE: Final = gettext_noop("inga personer i gruppen")
REASON_DISTRICT: Final = gettext_noop(
    "befolkningen i kommundelen saknas (förbundet anger den under sitt område)"
)
REASON_NO_POPULATION: Final = gettext_noop("befolkningsuppgift saknas")

CATEGORIES: Final = ("work", "studies", "job_seeking", "other")
CATEGORY_LABELS: Final = {
    "work": gettext_noop("Förvärvsarbete"),
    "studies": gettext_noop("Studier"),
    "job_seeking": gettext_noop("Aktivt arbetssökande"),
    "other": gettext_noop("Övrigt"),
}




@dataclass
class Fact:
    """One participation as the indicators see it (mirrors ``models.ParticipationFact``)."""

    sex: str
    start_date: dt.date
    end_date: dt.date | None = None
    person: int | None = None
    is_error: bool = False
    start: MeasurementFacts | None = None
    end: MeasurementFacts | None = None
    follow_up_consent: bool = False
    follow_ups: dict[int, MeasurementFacts] = field(default_factory=dict)

    def follow_up_date(self, k: int) -> dt.date | None:
        return add_months(self.end_date, k) if self.end_date else None


@dataclass
class Figure:
    numerator: int | None = None
    denominator: int | None = None
    value: float | None = None
    # Why ``value`` is None although there is data (not applicable / not available).
    reason: str = ""
    preliminary: bool = False


def _rate(num: int, den: int) -> Figure:
    return Figure(num, den, num / den if den else None)


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def headline_from_facts(
    facts: Iterable[Fact],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> dict[tuple[str, str], Figure]:
    """Headline figures from identified participations only (no anonymous/volume/cost)."""
    out: dict[tuple[str, str], Figure] = {}
    rows = [f for f in facts if not f.is_error]
    for sex in ("K", "M", "T"):
        mine = [f for f in rows if sex == "T" or f.sex == sex]
        active = [
            f for f in mine if f.start_date <= end and (f.end_date is None or f.end_date >= start)
        ]
        started = [f for f in mine if start <= f.start_date <= end]
        ended = [f for f in mine if f.end_date is not None and start <= f.end_date <= end]
        cohort = [f for f in ended if f.start is not None and f.end is not None]
        n = len(cohort)
        out[("participants_active", sex)] = Figure(len(active), None, len(active))
        persons = len({f.person for f in active if f.person is not None})
        out[("persons_active", sex)] = Figure(persons, None, persons)
        out[("participants_started", sex)] = Figure(len(started), None, len(started))
        out[("participants_ended", sex)] = Figure(len(ended), None, len(ended))
        out[("work_or_studies_before", sex)] = _rate(
            sum(f.start.work_or_studies for f in cohort if f.start), n
        )
        out[("work_or_studies_after", sex)] = _rate(
            sum(f.end.work_or_studies for f in cohort if f.end), n
        )
        out[("no_public_support_before", sex)] = _rate(
            sum(f.start.no_public_support for f in cohort if f.start), n
        )
        out[("no_public_support_after", sex)] = _rate(
            sum(f.end.no_public_support for f in cohort if f.end), n
        )
        out[("started_or_increased_extent", sex)] = _rate(
            sum(1 for f in cohort if f.start and f.end and f.end.extent > f.start.extent), n
        )
        steps = [
            (f.start.step, f.end.step)
            for f in cohort
            if f.start and f.end and f.start.step is not None and f.end.step is not None
        ]
        out[("step_progress", sex)] = _rate(
            sum(1 for before, after in steps if after > before), len(steps)
        )
        days = [(f.end_date - f.start_date).days for f in cohort if f.end_date]
        out[("median_days_in_intervention", sex)] = Figure(None, n, median(days))
        limit = min(end, today)
        for k in FOLLOW_UP_MONTHS:
            due = [
                f for f in mine
                if f.follow_up_consent
                and f.end_date is not None
                and start <= add_months(f.end_date, k) <= limit
            ]
            measured = [f.follow_ups[k] for f in due if k in f.follow_ups]
            out[(f"followup_{k}m_response", sex)] = _rate(len(measured), len(due))
            out[(f"followup_{k}m_work_or_studies", sex)] = _rate(
                sum(m.work_or_studies for m in measured), len(measured)
            )
            out[(f"followup_{k}m_no_public_support", sex)] = _rate(
                sum(m.no_public_support for m in measured), len(measured)
            )
    return out

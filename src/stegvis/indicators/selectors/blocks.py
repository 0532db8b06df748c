"""The user-free building blocks of the indicator queries: the report query and its filters, the
populations of a period as ``Q`` objects, grouped counts and medians over the fact table, the
headline aggregates and the reference-data choices. Nothing here knows who is asking; the
user-scoped reads in :mod:`.scoped` and :mod:`.figures` narrow the fact table first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.indicators import maths
from stegvis.indicators.maths import FOLLOW_UP_MONTHS, Figure
from stegvis.indicators.periods import Period
from stegvis.lib.dates import add_months
from stegvis.participants.models import ParticipationFact
from stegvis.reference.models import Code, CodeList, Municipality

SEXES = ("K", "M")


@dataclass(frozen=True)
class Filters:
    sex: str = ""
    age_groups: tuple[str, ...] = ()
    target_group: str = ""
    kommun: str = ""

    @property
    def narrows_people(self) -> bool:
        """Filters that anonymous and volume counts cannot honour."""
        return bool(self.age_groups or self.kommun)


@dataclass(frozen=True)
class ReportQuery:
    period: Period
    association_ids: tuple[int, ...] | None  # None: every förbund (national roles)
    intervention_ids: tuple[int, ...] = ()
    filters: Filters = field(default_factory=Filters)
    association_names: tuple[str, ...] = ()
    intervention_names: tuple[str, ...] = ()
    # Every active filter in words: (Swedish name, value), for every output's header.
    filter_labels: tuple[tuple[str, str], ...] = ()


def filter_labels(filters: Filters) -> tuple[tuple[str, str], ...]:
    """The active filters in words (reference data only)."""
    from stegvis.indicators.periods import AGE_GROUP_LABELS

    out: list[tuple[str, str]] = []
    if filters.sex:
        out.append((_("Kön"), {"K": _("kvinnor"), "M": _("män")}.get(filters.sex, filters.sex)))
    if filters.age_groups:
        out.append((_("Åldersgrupp vid start"),
                    ", ".join(_(AGE_GROUP_LABELS.get(a, a)) for a in filters.age_groups)))
    if filters.target_group:
        label = Code.objects.filter(list=CodeList.TARGET_GROUP, key=filters.target_group)\
            .values_list("label", flat=True).first()
        out.append((_("Målgrupp"), label or filters.target_group))
    if filters.kommun:
        name = Municipality.objects.filter(code=filters.kommun)\
            .values_list("short_name", flat=True).first()
        out.append((_("Bostadskommun"), name or filters.kommun))
    return tuple(out)


# --- populations ---------------------------------------------------------------------------


def active_q(start: dt.date, end: dt.date) -> Q:
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))


def started_q(p: Period) -> Q:
    return Q(start_date__gte=p.start, start_date__lte=p.end)


def ended_q(p: Period) -> Q:
    return Q(end_date__gte=p.start, end_date__lte=p.end)


def cohort_q(p: Period) -> Q:
    return ended_q(p) & Q(complete=True)


def follow_up_q(p: Period, k: int, today: dt.date) -> Q:
    limit = min(p.end, today)
    return Q(follow_up_consent=True) & Q(
        **{f"fu{k}_date__gte": p.start, f"fu{k}_date__lte": limit}
    )


def contains_key(field_name: str, key: str) -> Q:
    return Q(**{f"{field_name}__contains": f",{key},"})


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)`` (SQLite: computed in Python instead)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _grouped(
    qs: QuerySet[Any], by: tuple[str, ...], aggs: dict[str, Any]
) -> dict[tuple[Any, ...], dict[str, int]]:
    """``{group values: {agg name: value}}`` from GROUP BY queries.

    Plain counts share one query, which PostgreSQL can run in parallel; a DISTINCT count
    cannot be, so each gets its own query restricted to its filter (about twice as fast on
    the national fact table as one query doing both).
    """
    plain = {k: a for k, a in aggs.items() if not getattr(a, "distinct", False)}
    distinct = {k: a for k, a in aggs.items() if getattr(a, "distinct", False)}
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    if plain:
        for row in qs.values(*by).annotate(**plain).order_by():
            out[tuple(row[b] for b in by)] = {k: row[k] or 0 for k in plain}
    for name, agg in distinct.items():
        narrowed = qs.filter(agg.filter) if agg.filter is not None else qs
        expression = agg.get_source_expressions()[0]
        for row in narrowed.values(*by).annotate(
            **{name: Count(expression, distinct=True)}
        ).order_by():
            out.setdefault(tuple(row[b] for b in by), dict.fromkeys(plain, 0))[name] = (
                row[name] or 0
            )
    for values in out.values():
        for name in distinct:
            values.setdefault(name, 0)
    return out


def counts_by(
    qs: QuerySet[Any], by: tuple[str, ...], aggs: dict[str, Any]
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Like :func:`_grouped` with ``sex`` last in ``by``, adding a ``T`` total per group."""
    raw = _grouped(qs, (*by, "sex"), aggs)
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for key, values in raw.items():
        out[key] = values
        total = out.setdefault((*key[:-1], "T"), dict.fromkeys(aggs, 0))
        for name, value in values.items():
            total[name] += value
    return out


def count_at(data: dict[tuple[Any, ...], dict[str, int]], key: tuple[Any, ...], name: str) -> int:
    """The count ``name`` of group ``key`` in :func:`counts_by` output (0 if the group is empty)."""
    return data.get(key, {}).get(name, 0)


# --- headline indicators -------------------------------------------------------------------

_COHORT_FLAGS = {
    "work_or_studies_before": "start_work_or_studies",
    "work_or_studies_after": "end_work_or_studies",
    "no_public_support_before": "start_no_public_support",
    "no_public_support_after": "end_no_public_support",
}


def headline_aggregates(p: Period, today: dt.date) -> dict[str, Any]:
    cohort = cohort_q(p)
    active = active_q(p.start, p.end)
    aggs: dict[str, Any] = {
        "participants_active": Count("pk", filter=active),
        "persons_active": Count("person_key", filter=active, distinct=True),
        "participants_started": Count("pk", filter=started_q(p)),
        "participants_ended": Count("pk", filter=ended_q(p)),
        "cohort": Count("pk", filter=cohort),
        "started_or_increased_extent": Count(
            "pk", filter=cohort & Q(end_extent__gt=F("start_extent"))
        ),
        "step_both": Count(
            "pk", filter=cohort & Q(start_step__isnull=False, end_step__isnull=False)
        ),
        "step_progress": Count("pk", filter=cohort & Q(end_step__gt=F("start_step"))),
    }
    for key, flag in _COHORT_FLAGS.items():
        aggs[key] = Count("pk", filter=cohort & Q(**{flag: True}))
    for k in FOLLOW_UP_MONTHS:
        due = follow_up_q(p, k, today)
        measured = due & Q(**{f"fu{k}_measured": True})
        aggs[f"n_fu{k}_due"] = Count("pk", filter=due)
        aggs[f"n_fu{k}_measured"] = Count("pk", filter=measured)
        aggs[f"n_fu{k}_wos"] = Count("pk", filter=measured & Q(**{f"fu{k}_work_or_studies": True}))
        aggs[f"n_fu{k}_nps"] = Count(
            "pk", filter=measured & Q(**{f"fu{k}_no_public_support": True})
        )
    return aggs


def figures_from_counts(c: dict[str, int]) -> dict[str, Figure]:
    """Headline figures of one group (one sex) from the aggregate counts."""

    def rate(num: int, den: int) -> Figure:
        return Figure(num, den, num / den if den else None)

    out: dict[str, Figure] = {}
    for key in ("participants_active", "persons_active", "participants_started",
                "participants_ended"):
        out[key] = Figure(c.get(key, 0), None, c.get(key, 0))
    cohort = c.get("cohort", 0)
    for key in (*_COHORT_FLAGS, "started_or_increased_extent"):
        out[key] = rate(c.get(key, 0), cohort)
    out["step_progress"] = rate(c.get("step_progress", 0), c.get("step_both", 0))
    for k in FOLLOW_UP_MONTHS:
        measured = c.get(f"n_fu{k}_measured", 0)
        out[f"followup_{k}m_response"] = rate(measured, c.get(f"n_fu{k}_due", 0))
        out[f"followup_{k}m_work_or_studies"] = rate(c.get(f"n_fu{k}_wos", 0), measured)
        out[f"followup_{k}m_no_public_support"] = rate(c.get(f"n_fu{k}_nps", 0), measured)
    out["median_days_in_intervention"] = Figure(None, cohort, None)
    return out


def medians(
    qs: QuerySet[ParticipationFact], by: tuple[str, ...] = ()
) -> dict[tuple[Any, ...], float]:
    """Median of ``duration_days`` per group and sex (and ``T``), in SQL on PostgreSQL."""
    out: dict[tuple[Any, ...], float] = {}
    if connection.vendor == "postgresql" and not by:
        row = qs.aggregate(
            K=Median("duration_days", filter=Q(sex="K")),
            M=Median("duration_days", filter=Q(sex="M")),
            T=Median("duration_days"),
        )
        return {(sex,): value for sex, value in row.items() if value is not None}
    if connection.vendor == "postgresql":
        for row in qs.values(*by, "sex").annotate(m=Median("duration_days")).order_by():
            out[(*[row[b] for b in by], row["sex"])] = row["m"]
        if by:
            for row in qs.values(*by).annotate(m=Median("duration_days")).order_by():
                out[(*[row[b] for b in by], "T")] = row["m"]
        else:
            total = qs.aggregate(m=Median("duration_days"))["m"]
            if total is not None:
                out[("T",)] = total
        return out
    values: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in qs.values_list(*by, "sex", "duration_days"):
        *group, sex, days = row
        if days is None:
            continue
        values[(*group, sex)].append(days)
        values[(*group, "T")].append(days)
    for key, items in values.items():
        m = maths.median(items)
        if m is not None:
            out[key] = m
    return out


def local_today(today: dt.date | None) -> dt.date:
    """``today`` if given, else the local date (callers pass a fixed day in tests)."""
    return today or timezone.localdate()


def relevant_q(p: Period, years: range | None = None) -> Q:
    """Rows that can count for ``p`` at all: active in it, or with a follow-up date in it
    (end at most 12 months before), or active in the period's calendar years (cost)."""
    first, last = p.start, p.end
    if years is not None:
        first = min(first, dt.date(years.start, 1, 1))
        last = max(last, dt.date(years.stop - 1, 12, 31))
    earliest_end = min(first, add_months(p.start, -max(FOLLOW_UP_MONTHS)))
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=earliest_end))


def codes(list_key: str) -> list[Code]:
    """A code list in report order (reference data, not tenant data)."""
    return list(Code.objects.filter(list=list_key).order_by("sort_order", "key"))


Counts = dict[tuple[Any, ...], dict[str, int]]


NO_PUBLIC = "__ingen_offentlig"


def source_q(prefix: str, key: str) -> Q:
    """Facts whose ``start``/``end`` (``prefix``) income includes ``key`` (or no public support)."""
    if key == NO_PUBLIC:
        return Q(**{f"{prefix}_no_public_support": True})
    return contains_key(f"{prefix}_income", key)


COVERAGE_PARTS = ("coach", "self_reported", "not_reached", "declined", "open", "register",
                  "register_missing")


def code_choices(list_key: str) -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in codes(list_key)]


def kommun_choices() -> list[tuple[str, str]]:
    return list(Municipality.objects.order_by("short_name").values_list("code", "short_name"))

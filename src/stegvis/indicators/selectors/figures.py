"""Reads for the indicators: scope resolution and SQL aggregation over the fact table.

Every function takes the acting user and narrows through :mod:`stegvis.access.scope` with
``Capability.REPORTS``; a förbund the user has no role in is 404, a role there without REPORTS
is 403 (audited). Aggregation happens in SQL (``COUNT(...) FILTER (WHERE ...)`` grouped by sex);
Python only assembles the small result.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
)
from django.http import Http404
from django.utils import timezone

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.associations.models import AreaPart, Association
from stegvis.indicators import maths
from stegvis.indicators.maths import Figure
from stegvis.indicators.models import FOLLOW_UP_MONTHS, ParticipationFact
from stegvis.indicators.periods import Period
from stegvis.interventions.models import (
    AnonymousCount,
    BudgetLine,
    Intervention,
    InterventionYear,
    VolumeCount,
)
from stegvis.reference.models import Code, CodeList, Municipality, PopulationByAge

REPORTS = Capability.REPORTS
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


# --- scope ---------------------------------------------------------------------------------


def report_associations(*, user: Any) -> QuerySet[Association]:
    """Förbund whose reports the user may read."""
    return scope.associations(user, REPORTS).order_by("name")


def association_for_reports(*, user: Any, association_id: int) -> Association:
    return scope.get_association(user, association_id, REPORTS)


def is_national_reader(*, user: Any) -> bool:
    return scope.association_ids(user, REPORTS) is None


def resolve_query(
    *,
    user: Any,
    period: Period,
    association_ids: Iterable[int] = (),
    intervention_ids: Iterable[int] = (),
    filters: Filters | None = None,
) -> ReportQuery:
    """Check every requested förbund and insats against the user's roles (404/403)."""
    wanted = sorted(set(association_ids))
    interventions = sorted(set(intervention_ids))
    allowed = scope.association_ids(user, REPORTS)
    ids: set[int] = set()
    for pk in wanted:
        ids.add(scope.get_association(user, pk, REPORTS).pk)
    for pk in interventions:
        association_id = (
            Intervention.objects.filter(pk=pk).values_list("association_id", flat=True).first()
        )
        if association_id is None:
            raise Http404
        scope.get_association(user, association_id, REPORTS)
        if wanted and association_id not in wanted:
            raise Http404
        ids.add(association_id)
    result: tuple[int, ...] | None
    if ids:
        result = tuple(sorted(ids))
    elif allowed is None:
        result = None
    elif allowed:
        result = tuple(sorted(allowed))
    else:
        scope.deny(user, REPORTS, None)
        raise AssertionError("unreachable")
    names = tuple(
        Association.objects.filter(pk__in=result).order_by("name").values_list("name", flat=True)
    ) if result is not None else ()
    filters = filters or Filters()
    return ReportQuery(
        period=period,
        association_ids=result,
        intervention_ids=tuple(interventions),
        filters=filters,
        association_names=names,
        intervention_names=tuple(
            Intervention.objects.filter(pk__in=interventions).order_by("name")
            .values_list("name", flat=True)
        ),
        filter_labels=filter_labels(filters),
    )


def filter_labels(filters: Filters) -> tuple[tuple[str, str], ...]:
    """The active filters in words (reference data only)."""
    from stegvis.indicators.periods import AGE_GROUP_LABELS

    out: list[tuple[str, str]] = []
    if filters.sex:
        out.append(("Kön", {"K": "kvinnor", "M": "män"}.get(filters.sex, filters.sex)))
    if filters.age_groups:
        out.append(("Åldersgrupp vid start",
                    ", ".join(AGE_GROUP_LABELS.get(a, a) for a in filters.age_groups)))
    if filters.target_group:
        label = Code.objects.filter(list=CodeList.TARGET_GROUP, key=filters.target_group)\
            .values_list("label", flat=True).first()
        out.append(("Målgrupp", label or filters.target_group))
    if filters.kommun:
        name = Municipality.objects.filter(code=filters.kommun)\
            .values_list("short_name", flat=True).first()
        out.append(("Bostadskommun", name or filters.kommun))
    return tuple(out)


def _interventions(user: Any, q: ReportQuery) -> QuerySet[Intervention]:
    qs = scope.scope_queryset(Intervention.objects.all(), user, REPORTS)
    if q.association_ids is not None:
        qs = qs.filter(association_id__in=q.association_ids)
    if q.intervention_ids:
        qs = qs.filter(pk__in=q.intervention_ids)
    if q.filters.target_group:
        qs = qs.filter(target_groups__list=CodeList.TARGET_GROUP,
                       target_groups__key=q.filters.target_group)
    return qs


def _facts(user: Any, q: ReportQuery) -> QuerySet[ParticipationFact]:
    qs = scope.scope_queryset(ParticipationFact.objects.all(), user, REPORTS).filter(
        is_error=False
    )
    if q.association_ids is not None:
        qs = qs.filter(association_id__in=q.association_ids)
    if q.intervention_ids:
        qs = qs.filter(intervention_id__in=q.intervention_ids)
    f = q.filters
    if f.target_group:
        qs = qs.filter(
            intervention_id__in=Intervention.objects.filter(
                target_groups__list=CodeList.TARGET_GROUP, target_groups__key=f.target_group
            ).values("pk")
        )
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.age_groups:
        qs = qs.filter(age_group__in=f.age_groups)
    if f.kommun:
        qs = qs.filter(residence_id=f.kommun)
    return qs.order_by()


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


def _get(data: dict[tuple[Any, ...], dict[str, int]], key: tuple[Any, ...], name: str) -> int:
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


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def relevant_q(p: Period, years: range | None = None) -> Q:
    """Rows that can count for ``p`` at all: active in it, or with a follow-up date in it
    (end at most 12 months before), or active in the period's calendar years (cost)."""
    first, last = p.start, p.end
    if years is not None:
        first = min(first, dt.date(years.start, 1, 1))
        last = max(last, dt.date(years.stop - 1, 12, 31))
    earliest_end = min(first, maths.add_months(p.start, -max(FOLLOW_UP_MONTHS)))
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=earliest_end))


def headline(
    *, user: Any, query: ReportQuery, today: dt.date | None = None
) -> dict[tuple[str, str], Figure]:
    """Every headline key of indicators.md for K, M and T (raw, not yet suppressed).

    One scan of the fact table (restricted to rows that can count) gives every count; two
    more give the medians; the anonymous, volume and cost figures are small lookups.
    """
    p = query.period
    now = _today(today)
    years = p.years
    qs = _facts(user, query)
    aggs = headline_aggregates(p, now)
    aggs["cost_active"] = Count(
        "pk", filter=active_q(dt.date(years.start, 1, 1), dt.date(years.stop - 1, 12, 31))
    )
    counts = counts_by(qs.filter(relevant_q(p, years)), (), aggs)
    med = medians(qs.filter(cohort_q(p)))
    out: dict[tuple[str, str], Figure] = {}
    for sex in ("K", "M", "T"):
        figs = figures_from_counts(counts.get((sex,), {}))
        figs["median_days_in_intervention"].value = med.get((sex,))
        for key, fig in figs.items():
            out[(key, sex)] = fig
    whole_years = p.start == dt.date(years.start, 1, 1) and p.end == dt.date(years.stop - 1, 12, 31)
    f = query.filters
    anon = anonymous_started(user=user, query=query)
    vol = volume_counts(user=user, query=query)
    anon_reason = (
        maths.REASON_ANONYMOUS_FILTER if f.narrows_people
        else "" if whole_years else maths.REASON_CALENDAR_YEAR
    )
    for sex in ("K", "M", "T"):
        a = anon.get(sex) if not anon_reason else None
        out[("anonymous_started", sex)] = Figure(a, None, a, reason=anon_reason)
        out[("volume_count", sex)] = Figure(
            vol.get(sex), None, vol.get(sex),
            reason="" if vol else maths.REASON_VOLUME_FILTER,
        )
    cost, participants = cost_per_participant(
        user=user, query=query,
        identified=_get(counts, ("T",), "cost_active"),
        anonymous=anon.get("T") if whole_years else None,
    )
    for sex in ("K", "M"):
        out[("cost_per_participant", sex)] = Figure(reason=maths.REASON_COST_SEX)
    if f.narrows_people or f.sex:
        out[("cost_per_participant", "T")] = Figure(reason=maths.REASON_COST_FILTER)
    else:
        out[("cost_per_participant", "T")] = Figure(
            None, participants,
            float(cost / participants) if cost is not None and participants else None,
            reason="" if cost is not None and participants
            else maths.REASON_NO_COST if cost is None else maths.REASON_NO_PEOPLE,
            preliminary=not outcome_closed(user=user, query=query, today=now),
        )
    return out


def outcome_closed(*, user: Any, query: ReportQuery, today: dt.date | None = None) -> bool:
    """True when every calendar year of the period is over and every budget line of the
    insatser in scope for those years has its actual cost (utfall) entered."""
    years = query.period.years
    if years.stop - 1 >= _today(today).year:
        return False
    return not BudgetLine.objects.filter(
        intervention_year__intervention__in=_interventions(user, query),
        intervention_year__year__gte=years.start,
        intervention_year__year__lte=years.stop - 1,
        actual__isnull=True,
    ).exists()


def anonymous_started(*, user: Any, query: ReportQuery) -> dict[str, int | None]:
    """Anonymous counts whose year of start lies in the period's calendar years."""
    if query.filters.narrows_people:
        return {}
    agg = AnonymousCount.objects.filter(
        intervention__in=_interventions(user, query),
        start_year__gte=query.period.start.year,
        start_year__lte=query.period.end.year,
    ).aggregate(k=Sum("women"), m=Sum("men"))
    k, m = agg["k"] or 0, agg["m"] or 0
    if query.filters.sex == "K":
        m = 0
    elif query.filters.sex == "M":
        k = 0
    return {"K": k, "M": m, "T": k + m}


def volume_counts(*, user: Any, query: ReportQuery) -> dict[str, int | None]:
    """Volume counts whose period lies within the report period."""
    if query.filters.narrows_people or query.filters.sex:
        return {}
    agg = VolumeCount.objects.filter(
        intervention__in=_interventions(user, query),
        period_start__gte=query.period.start,
        period_end__lte=query.period.end,
    ).aggregate(k=Sum("women"), m=Sum("men"), t=Sum("total"))
    return {"K": agg["k"] or 0, "M": agg["m"] or 0, "T": agg["t"] or 0}


def cost_per_participant(
    *, user: Any, query: ReportQuery, identified: int | None = None,
    anonymous: int | None = None,
) -> tuple[Decimal | None, int]:
    """(actual cost in the period's calendar years, active identified + anonymous started
    in the same insatser and years). Counts already at hand may be passed in."""
    years = query.period.years
    interventions = _interventions(user, query)
    cost = BudgetLine.objects.filter(
        intervention_year__intervention__in=interventions,
        intervention_year__year__gte=years.start,
        intervention_year__year__lte=years.stop - 1,
    ).aggregate(s=Sum("actual"))["s"]
    first, last = dt.date(years.start, 1, 1), dt.date(years.stop - 1, 12, 31)
    if identified is None:
        identified = _facts(user, query).filter(active_q(first, last)).count()
    if anonymous is None:
        wide = ReportQuery(
            period=Period(first, last),
            association_ids=query.association_ids,
            intervention_ids=query.intervention_ids,
            filters=query.filters,
        )
        anonymous = anonymous_started(user=user, query=wide).get("T") or 0
    return cost, identified + (anonymous or 0)


# --- report data ---------------------------------------------------------------------------


def codes(list_key: str) -> list[Code]:
    """A code list in report order (reference data, not tenant data)."""
    return list(Code.objects.filter(list=list_key).order_by("sort_order", "key"))


Counts = dict[tuple[Any, ...], dict[str, int]]


def activity_before_after(*, user: Any, query: ReportQuery) -> Counts:
    p = query.period
    cohort = cohort_q(p)
    aggs: dict[str, Any] = {"cohort": Count("pk", filter=cohort)}
    for cat in maths.CATEGORIES:
        aggs[f"start_{cat}"] = Count("pk", filter=cohort & contains_key("start_categories", cat))
        aggs[f"end_{cat}"] = Count("pk", filter=cohort & contains_key("end_categories", cat))
    return counts_by(_facts(user, query), (), aggs)


NO_PUBLIC = "__ingen_offentlig"


def income_before_after(
    *, user: Any, query: ReportQuery, keys: list[str]
) -> dict[tuple[Any, ...], dict[str, int]]:
    p = query.period
    cohort = cohort_q(p)
    aggs: dict[str, Any] = {"cohort": Count("pk", filter=cohort)}
    for i, key in enumerate(keys):
        aggs[f"s{i}"] = Count("pk", filter=cohort & _source_q("start", key))
        aggs[f"e{i}"] = Count("pk", filter=cohort & _source_q("end", key))
    return counts_by(_facts(user, query), (), aggs)


def _source_q(prefix: str, key: str) -> Q:
    if key == NO_PUBLIC:
        return Q(**{f"{prefix}_no_public_support": True})
    return contains_key(f"{prefix}_income", key)


def transition_matrix(
    *, user: Any, query: ReportQuery, keys: list[str]
) -> dict[tuple[Any, ...], dict[str, int]]:
    """``M[X][Y]``: cohort members with source X at start and Y at end (aggregate ``x{i}_{j}``)."""
    cohort = cohort_q(query.period)
    aggs: dict[str, Any] = {}
    for i, x in enumerate(keys):
        qx = cohort & _source_q("start", x)
        for j, y in enumerate(keys):
            aggs[f"x{i}_{j}"] = Count("pk", filter=qx & _source_q("end", y))
    return counts_by(_facts(user, query), (), aggs)


def distribution(
    *, user: Any, query: ReportQuery, field_name: str, population: str
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Counts by ``field_name`` and sex among the started (or ended) participations."""
    where = started_q(query.period) if population == "started" else ended_q(query.period)
    return counts_by(_facts(user, query).filter(where), (field_name,), {"n": Count("pk")})


def follow_up_details(
    *, user: Any, query: ReportQuery, k: int, today: dt.date | None = None
) -> dict[tuple[Any, ...], dict[str, int]]:
    due = follow_up_q(query.period, k, _today(today))
    measured = due & Q(**{f"fu{k}_measured": True})
    aggs = {
        "due": Count("pk", filter=due),
        "measured": Count("pk", filter=measured),
        "wos_start": Count("pk", filter=measured & Q(start_work_or_studies=True)),
        "wos_end": Count("pk", filter=measured & Q(end_work_or_studies=True)),
        "wos_fu": Count("pk", filter=measured & Q(**{f"fu{k}_work_or_studies": True})),
        "nps_start": Count("pk", filter=measured & Q(start_no_public_support=True)),
        "nps_end": Count("pk", filter=measured & Q(end_no_public_support=True)),
        "nps_fu": Count("pk", filter=measured & Q(**{f"fu{k}_no_public_support": True})),
    }
    return counts_by(_facts(user, query), (), aggs)


COVERAGE_PARTS = ("coach", "self_reported", "not_reached", "declined", "open")


def follow_up_coverage(
    *, user: Any, query: ReportQuery, k: int, today: dt.date | None = None
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Attrition of the k-month follow-up by sex: of those due (the denominator of the
    follow-up indicators), measured by source (``Measurement.source``), closed as not reached
    or declined (``followup`` closures) and still open. The parts add up to ``due``."""
    from stegvis.followup.selectors import closures_by_follow_up
    from stegvis.participants.models import Measurement

    due_rows = list(
        _facts(user, query).filter(follow_up_q(query.period, k, _today(today)))
        .values_list("participation_id", "sex", f"fu{k}_measured")
    )
    ids = [pid for pid, _sex, _m in due_rows]
    sources: dict[int, str] = {}
    closures: dict[tuple[int, int], str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sources.update(Measurement.objects.filter(
            participation_id__in=chunk, occasion=f"followup_{k}m"
        ).values_list("participation_id", "source"))
        closures.update(closures_by_follow_up(chunk))
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for pid, sex, measured in due_rows:
        if measured:
            part = "self_reported" if sources.get(pid) == "self_reported" else "coach"
        else:
            part = closures.get((pid, k), "open")
        for key in ((sex,), ("T",)):
            counts = out.setdefault(key, dict.fromkeys(("due", *COVERAGE_PARTS), 0))
            counts["due"] += 1
            counts[part] += 1
    return out


def interventions_overview(*, user: Any, query: ReportQuery) -> list[dict[str, Any]]:
    """Insatser in scope overlapping the period, with identified/anonymous/volume counts."""
    p = query.period
    qs = (
        _interventions(user, query)
        .filter(start_date__lte=p.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=p.start))
        .select_related("association", "organiser", "precise_orientation")
        .prefetch_related("target_groups")
        .order_by("association__name", "name", "pk")
        .distinct()
    )
    items = list(qs)
    ids = [i.pk for i in items]
    active = counts_by(
        _facts(user, query).filter(intervention_id__in=ids),
        ("intervention_id",),
        {"n": Count("pk", filter=active_q(p.start, p.end))},
    )
    anon: dict[int, tuple[int, int]] = {}
    anon_reason = (
        maths.REASON_ANONYMOUS_FILTER if query.filters.narrows_people
        else "" if p.whole_years else maths.REASON_CALENDAR_YEAR
    )
    volume_reason = (
        maths.REASON_VOLUME_FILTER if query.filters.narrows_people or query.filters.sex else ""
    )
    if not anon_reason:
        for row in (
            AnonymousCount.objects.filter(
                intervention_id__in=ids,
                start_year__gte=p.start.year,
                start_year__lte=p.end.year,
            )
            .values("intervention_id")
            .annotate(k=Sum("women"), m=Sum("men"))
            .order_by()
        ):
            k, m = row["k"] or 0, row["m"] or 0
            if query.filters.sex == "K":
                m = 0
            elif query.filters.sex == "M":
                k = 0
            anon[row["intervention_id"]] = (k, m)
    volume: dict[int, int] = {}
    if not volume_reason:
        for row in (
            VolumeCount.objects.filter(
                intervention_id__in=ids, period_start__gte=p.start, period_end__lte=p.end
            )
            .values("intervention_id")
            .annotate(t=Sum("total"))
            .order_by()
        ):
            volume[row["intervention_id"]] = row["t"] or 0
    planned = {
        row["intervention_id"]: row["n"] or 0
        for row in InterventionYear.objects.filter(
            intervention_id__in=ids, year__gte=p.start.year, year__lte=p.end.year
        )
        .values("intervention_id")
        .annotate(n=Sum("planned_participants"))
        .order_by()
    }
    out = []
    for i in items:
        out.append(
            {
                "intervention": i,
                "identified": {s: _get(active, (i.pk, s), "n") for s in ("K", "M", "T")},
                "anonymous": anon.get(i.pk, (0, 0)) if not anon_reason else None,
                "anonymous_reason": anon_reason,
                "volume": volume.get(i.pk, 0) if not volume_reason else None,
                "volume_reason": volume_reason,
                "planned": planned.get(i.pk, 0),
            }
        )
    return out


def costs(*, user: Any, query: ReportQuery) -> list[dict[str, Any]]:
    """Per insats and calendar year of the period: budget, actual, participants by sex."""
    years = list(query.period.years)
    interventions = list(
        _interventions(user, query)
        .filter(years__year__gte=years[0], years__year__lte=years[-1])
        .select_related("association")
        .order_by("association__name", "name", "pk")
        .distinct()
    )
    ids = [i.pk for i in interventions]
    money: dict[tuple[int, int], dict[str, Decimal]] = {}
    for row in (
        BudgetLine.objects.filter(
            intervention_year__intervention_id__in=ids,
            intervention_year__year__gte=years[0],
            intervention_year__year__lte=years[-1],
        )
        .values("intervention_year__intervention_id", "intervention_year__year")
        .annotate(budget=Sum("budget"), actual=Sum("actual"))
        .order_by()
    ):
        money[(row["intervention_year__intervention_id"], row["intervention_year__year"])] = {
            "budget": row["budget"],
            "actual": row["actual"],
        }
    aggs = {
        f"y{y}": Count("pk", filter=active_q(dt.date(y, 1, 1), dt.date(y, 12, 31)))
        for y in years
    }
    active = counts_by(
        _facts(user, query).filter(intervention_id__in=ids), ("intervention_id",), aggs
    )
    anon: dict[tuple[int, int], tuple[int, int]] = {}
    if not query.filters.narrows_people:
        for a in AnonymousCount.objects.filter(
            intervention_id__in=ids, start_year__gte=years[0], start_year__lte=years[-1]
        ):
            k, m = a.women, a.men
            if query.filters.sex == "K":
                m = 0
            elif query.filters.sex == "M":
                k = 0
            anon[(a.intervention_id, a.start_year)] = (k, m)
    out = []
    for i in interventions:
        for y in years:
            if (i.pk, y) not in money:
                continue
            ak, am = anon.get((i.pk, y), (0, 0))
            k = _get(active, (i.pk, "K"), f"y{y}") + ak
            m = _get(active, (i.pk, "M"), f"y{y}") + am
            out.append(
                {
                    "intervention": i,
                    "year": y,
                    "budget": money[(i.pk, y)]["budget"],
                    "actual": money[(i.pk, y)]["actual"],
                    "participants": {"K": k, "M": m, "T": k + m},
                }
            )
    return out


def coverage(*, user: Any, query: ReportQuery) -> dict[str, Any]:
    """Active participants per kommun of residence against 5 % of the population 16–64.

    Every kommun of the area is listed (also with 0 participants). A kommun that is in the
    area only through districts is measured against the districts' population entered by the
    förbund, never the whole kommun's; without it the need is not available.
    """
    p = query.period
    active = counts_by(
        _facts(user, query).filter(active_q(p.start, p.end)), ("residence_id",),
        {"n": Count("pk")},
    )
    parts = AreaPart.objects.all()
    if query.association_ids is not None:
        parts = parts.filter(association_id__in=query.association_ids)
    whole: set[str] = set()
    districts: dict[str, list[int | None]] = defaultdict(list)
    for code, district, pop in parts.values_list("municipality_id", "district",
                                                 "district_population"):
        if district:
            districts[code].append(pop)
        else:
            whole.add(code)
    kommuner = {key[0] for key in active if key[0] is not None} | whole | set(districts)
    if query.filters.kommun:
        kommuner &= {query.filters.kommun}
    years = PopulationByAge.objects.order_by("-year").values_list("year", flat=True).distinct()
    available = list(years)
    pop_year = next((y for y in available if y <= p.end.year), available[-1] if available else None)
    population: dict[str, int] = {}
    if pop_year is not None:
        for row in (
            PopulationByAge.objects.filter(
                municipality_id__in=kommuner, year=pop_year, age__gte=16, age__lte=64
            )
            .values("municipality_id")
            .annotate(w=Sum("women"), m=Sum("men"))
            .order_by()
        ):
            population[row["municipality_id"]] = (row["w"] or 0) + (row["m"] or 0)
    names = dict(
        Municipality.objects.filter(code__in=kommuner).values_list("code", "short_name")
    )
    rows = []
    for code in sorted(kommuner, key=lambda c: names.get(c, c)):
        reason = ""
        pop: int | None = population.get(code)
        if code in districts and code not in whole:
            entered = districts[code]
            if all(v is not None for v in entered):
                pop = sum(v for v in entered if v is not None)
            else:
                pop, reason = None, maths.REASON_DISTRICT
        rows.append(
            {
                "code": code,
                "name": names.get(code, code) + (" (kommundelar)" if code in districts
                                                 and code not in whole else ""),
                "participants": {s: _get(active, (code, s), "n") for s in ("K", "M", "T")},
                "population": pop,
                "reason": reason,
            }
        )
    if not query.filters.kommun and any(key[0] is None for key in active):
        rows.append(
            {
                "code": "",
                "name": "Bostadskommun saknas",
                "participants": {s: _get(active, (None, s), "n") for s in ("K", "M", "T")},
                "population": None,
                "reason": maths.REASON_NO_POPULATION,
            }
        )
    return {"rows": rows, "population_year": pop_year}


def by_association(
    *, user: Any, query: ReportQuery, today: dt.date | None = None
) -> tuple[list[Association], dict[tuple[Any, ...], dict[str, int]]]:
    """Headline aggregates per förbund (national view)."""
    associations = list(
        scope.associations(user, REPORTS).order_by("name")
        if query.association_ids is None
        else Association.objects.filter(pk__in=query.association_ids).order_by("name")
    )
    data = counts_by(
        _facts(user, query).filter(relevant_q(query.period)), ("association_id",),
        headline_aggregates(query.period, _today(today)),
    )
    return associations, data


def started_by_month(*, user: Any, query: ReportQuery) -> dict[tuple[Any, ...], dict[str, int]]:
    p = query.period
    aggs = {}
    for month in range(1, 13):
        first = dt.date(p.start.year, month, 1)
        last = maths.add_months(first, 1) - dt.timedelta(days=1)
        aggs[f"m{month}"] = Count("pk", filter=Q(start_date__gte=first, start_date__lte=last))
    return counts_by(_facts(user, query), (), aggs)


# --- choices for the filter form -----------------------------------------------------------


def intervention_choices(*, user: Any, association_ids: list[int]) -> list[tuple[int, str]]:
    """Insatser of the given förbund that the user may report on (for the filter form)."""
    if not association_ids:
        return []
    qs = scope.scope_queryset(Intervention.objects.all(), user, REPORTS).filter(
        association_id__in=association_ids
    )
    return [
        (pk, f"{name} ({association})")
        for pk, name, association in qs.order_by("association__name", "name").values_list(
            "pk", "name", "association__name"
        )[:1000]
    ]


def code_choices(list_key: str) -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in codes(list_key)]


def kommun_choices() -> list[tuple[str, str]]:
    return list(Municipality.objects.order_by("short_name").values_list("code", "short_name"))

"""The figures of the reports, counted in SQL over the fact rows of the user's report scope:
the headline, anonymous and volume counts, cost per participant and each report's data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.associations.models import AreaPart, Association
from stegvis.followup.selectors import closures_by_follow_up, long_horizon_ids
from stegvis.indicators import maths
from stegvis.indicators.maths import Figure
from stegvis.indicators.periods import Period
from stegvis.indicators.selectors.blocks import (
    COVERAGE_PARTS,
    Counts,
    ReportQuery,
    active_q,
    cohort_q,
    contains_key,
    count_at,
    counts_by,
    ended_q,
    figures_from_counts,
    follow_up_q,
    headline_aggregates,
    local_today,
    medians,
    relevant_q,
    source_q,
    started_q,
)
from stegvis.indicators.selectors.scoped import REPORTS, scoped_facts, scoped_interventions
from stegvis.interventions.models import (
    AnonymousCount,
    BudgetLine,
    InterventionYear,
    VolumeCount,
)
from stegvis.lib.dates import add_months
from stegvis.participants.models import Measurement
from stegvis.reference.models import Municipality, PopulationByAge
from stegvis.registry import rules as registry_rules
from stegvis.registry import selectors as registry_selectors


def headline(
    *, user: Any, query: ReportQuery, today: dt.date | None = None
) -> dict[tuple[str, str], Figure]:
    """Every headline key of indicators.md for K, M and T (raw, not yet suppressed).

    One scan of the fact table (restricted to rows that can count) gives every count; two
    more give the medians; the anonymous, volume and cost figures are small lookups.
    """
    p = query.period
    now = local_today(today)
    years = p.years
    qs = scoped_facts(user, query)
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
        identified=count_at(counts, ("T",), "cost_active"),
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
    if years.stop - 1 >= local_today(today).year:
        return False
    return not BudgetLine.objects.filter(
        intervention_year__intervention__in=scoped_interventions(user, query),
        intervention_year__year__gte=years.start,
        intervention_year__year__lte=years.stop - 1,
        actual__isnull=True,
    ).exists()


def anonymous_started(*, user: Any, query: ReportQuery) -> dict[str, int | None]:
    """Anonymous counts whose year of start lies in the period's calendar years."""
    if query.filters.narrows_people:
        return {}
    agg = AnonymousCount.objects.filter(
        intervention__in=scoped_interventions(user, query),
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
        intervention__in=scoped_interventions(user, query),
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
    interventions = scoped_interventions(user, query)
    cost = BudgetLine.objects.filter(
        intervention_year__intervention__in=interventions,
        intervention_year__year__gte=years.start,
        intervention_year__year__lte=years.stop - 1,
    ).aggregate(s=Sum("actual"))["s"]
    first, last = dt.date(years.start, 1, 1), dt.date(years.stop - 1, 12, 31)
    if identified is None:
        identified = scoped_facts(user, query).filter(active_q(first, last)).count()
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


def activity_before_after(*, user: Any, query: ReportQuery) -> Counts:
    p = query.period
    cohort = cohort_q(p)
    aggs: dict[str, Any] = {"cohort": Count("pk", filter=cohort)}
    for cat in maths.CATEGORIES:
        aggs[f"start_{cat}"] = Count("pk", filter=cohort & contains_key("start_categories", cat))
        aggs[f"end_{cat}"] = Count("pk", filter=cohort & contains_key("end_categories", cat))
    return counts_by(scoped_facts(user, query), (), aggs)


def income_before_after(
    *, user: Any, query: ReportQuery, keys: list[str]
) -> dict[tuple[Any, ...], dict[str, int]]:
    p = query.period
    cohort = cohort_q(p)
    aggs: dict[str, Any] = {"cohort": Count("pk", filter=cohort)}
    for i, key in enumerate(keys):
        aggs[f"s{i}"] = Count("pk", filter=cohort & source_q("start", key))
        aggs[f"e{i}"] = Count("pk", filter=cohort & source_q("end", key))
    return counts_by(scoped_facts(user, query), (), aggs)


def transition_matrix(
    *, user: Any, query: ReportQuery, keys: list[str]
) -> dict[tuple[Any, ...], dict[str, int]]:
    """``M[X][Y]``: cohort members with source X at start and Y at end (aggregate ``x{i}_{j}``)."""
    cohort = cohort_q(query.period)
    aggs: dict[str, Any] = {}
    for i, x in enumerate(keys):
        qx = cohort & source_q("start", x)
        for j, y in enumerate(keys):
            aggs[f"x{i}_{j}"] = Count("pk", filter=qx & source_q("end", y))
    return counts_by(scoped_facts(user, query), (), aggs)


def distribution(
    *, user: Any, query: ReportQuery, field_name: str, population: str
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Counts by ``field_name`` and sex among the started (or ended) participations."""
    where = started_q(query.period) if population == "started" else ended_q(query.period)
    return counts_by(scoped_facts(user, query).filter(where), (field_name,), {"n": Count("pk")})


def long_horizon_q(k: int) -> Q:
    """Rows whose förbund follows up at k months (24 and 36: only those that chose it)."""
    if k not in maths.LONG_FOLLOW_UP_MONTHS:
        return Q()
    return Q(association_id__in=sorted(long_horizon_ids()))


def long_horizons_in_scope(*, user: Any, query: ReportQuery) -> bool:
    """Whether any förbund of the report's scope follows up at 24 and 36 months."""
    ids = long_horizon_ids(query.association_ids)
    return bool(ids) and scoped_facts(user, query).filter(association_id__in=sorted(ids)).exists()


def follow_up_details(
    *, user: Any, query: ReportQuery, k: int, today: dt.date | None = None
) -> dict[tuple[Any, ...], dict[str, int]]:
    due = follow_up_q(query.period, k, local_today(today)) & long_horizon_q(k)
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
    return counts_by(scoped_facts(user, query), (), aggs)


def follow_up_coverage(
    *, user: Any, query: ReportQuery, k: int, today: dt.date | None = None
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Attrition of the k-month follow-up by sex: of those due (the denominator of the
    follow-up indicators), measured by source (``Measurement.source``), closed as not reached
    or declined (``followup`` closures) and still open. The parts add up to ``due``. And the
    register as a source of its own: ``register`` (an imported register outcome for the month
    end + k months) + ``register_missing`` = ``due``."""
    due_rows = list(
        scoped_facts(user, query).filter(follow_up_q(query.period, k, local_today(today)),
                                   long_horizon_q(k))
        .values_list("participation_id", "sex", f"fu{k}_measured", "end_date")
    )
    ids = [pid for pid, _sex, _m, _end in due_rows]
    sources: dict[int, str] = {}
    closures: dict[tuple[int, int], str] = {}
    matched: set[tuple[int, dt.date]] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sources.update(Measurement.objects.filter(
            participation_id__in=chunk, occasion=f"followup_{k}m"
        ).values_list("participation_id", "source"))
        closures.update(closures_by_follow_up(chunk))
        matched |= registry_selectors.matched_months(chunk)
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for pid, sex, measured, end in due_rows:
        if measured:
            part = "self_reported" if sources.get(pid) == "self_reported" else "coach"
        else:
            part = closures.get((pid, k), "open")
        in_register = (pid, registry_rules.month_of(add_months(end, k))) in matched
        for key in ((sex,), ("T",)):
            counts = out.setdefault(key, dict.fromkeys(("due", *COVERAGE_PARTS), 0))
            counts["due"] += 1
            counts[part] += 1
            counts["register" if in_register else "register_missing"] += 1
    return out


def interventions_overview(*, user: Any, query: ReportQuery) -> list[dict[str, Any]]:
    """Insatser in scope overlapping the period, with identified/anonymous/volume counts."""
    p = query.period
    qs = (
        scoped_interventions(user, query)
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
        scoped_facts(user, query).filter(intervention_id__in=ids),
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
                "identified": {s: count_at(active, (i.pk, s), "n") for s in ("K", "M", "T")},
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
        scoped_interventions(user, query)
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
        scoped_facts(user, query).filter(intervention_id__in=ids), ("intervention_id",), aggs
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
            k = count_at(active, (i.pk, "K"), f"y{y}") + ak
            m = count_at(active, (i.pk, "M"), f"y{y}") + am
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
        scoped_facts(user, query).filter(active_q(p.start, p.end)), ("residence_id",),
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
                "participants": {s: count_at(active, (code, s), "n") for s in ("K", "M", "T")},
                "population": pop,
                "reason": reason,
            }
        )
    if not query.filters.kommun and any(key[0] is None for key in active):
        rows.append(
            {
                "code": "",
                "name": _("Bostadskommun saknas"),
                "participants": {s: count_at(active, (None, s), "n") for s in ("K", "M", "T")},
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
        scoped_facts(user, query).filter(relevant_q(query.period)), ("association_id",),
        headline_aggregates(query.period, local_today(today)),
    )
    return associations, data


def started_by_month(*, user: Any, query: ReportQuery) -> dict[tuple[Any, ...], dict[str, int]]:
    p = query.period
    aggs = {}
    for month in range(1, 13):
        first = dt.date(p.start.year, month, 1)
        last = add_months(first, 1) - dt.timedelta(days=1)
        aggs[f"m{month}"] = Count("pk", filter=Q(start_date__gte=first, start_date__lte=last))
    return counts_by(scoped_facts(user, query), (), aggs)



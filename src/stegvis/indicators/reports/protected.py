"""One protection run per scope and period: :func:`bundle` builds every table of one scope and
period, protects them as *one* problem (:mod:`stegvis.indicators.linking`) and caches the
parts; every output takes its report out of that bundle.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Final

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.indicators import linking, selectors, versions
from stegvis.indicators.reports.builders import REPORTS
from stegvis.indicators.reports.extra import national_table, started_by_month_table
from stegvis.indicators.reports.report import Report, headline_table, threshold
from stegvis.indicators.selectors import ReportQuery
from stegvis.indicators.tables import (
    Table,
    protect_tables,
)

# --- one protection run per scope and period ------------------------------------------------


@dataclass
class Bundle:
    """Everything one user can obtain for one scope and period, protected together."""

    query: ReportQuery
    threshold: int
    reports: dict[str, Report]
    extra: dict[str, Table]


def _layout(reports: dict[str, Report], extra: dict[str, Table]) -> linking.Layout:
    ins = reports["insatser"].tables[0]
    cost = reports["kostnader"].tables[0]
    cov = reports["tackning"].tables[0]
    return linking.Layout(
        insatser=[int(r.key) for r in ins.rows],
        cost_rows=[(int(a), int(b)) for a, b in
                   (r.key.split(":") for r in cost.rows if r.key != "total")],
        kommuner=[r.key for r in cov.rows],
        months="started_by_month" in extra,
        follow_ups=[int(t.key.removeprefix("followup_").removesuffix("m_coverage"))
                    for t in reports["uppfoljning"].tables
                    if t.key.endswith("m_coverage")],
        register_coverage=[
            int(t.key.removeprefix("followup_").removesuffix("m_coverage"))
            for t in reports["uppfoljning"].tables
            if t.key.endswith("m_coverage") and any(r.key == "register" for r in t.rows)],
    )


BUNDLE_TIMEOUT: Final = 24 * 3600


def _bundle_key(user: Any, query: ReportQuery) -> str:
    """Everything the bundle depends on: the user's report scope (not the user), the query,
    the threshold, today's date, the language of the texts and — read *before* the data — the
    data versions of the scope (ADR 0012)."""
    allowed = scope.association_ids(user, selectors.REPORTS)
    parts = (
        sorted(allowed) if allowed is not None else None,
        query,
        threshold(),
        timezone.localdate().isoformat(),
        get_language(),
        versions.token(None if allowed is None else query.association_ids),
    )
    return "stegvis:bundle:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _parts(b: Bundle) -> dict[str, Any]:
    return {**{f"report:{n}": r for n, r in b.reports.items()}, "extra": b.extra,
            "threshold": b.threshold}


def cached_parts(
    user: Any, query: ReportQuery, names: list[str]
) -> tuple[dict[str, Any], Bundle | None]:
    """The parts ``names`` of the bundle of ``query``: from the cache (each part stored on its
    own, so a page unpickles only the report it shows), else built and stored."""
    key = _bundle_key(user, query)
    got = cache.get_many([f"{key}:{n}" for n in names])
    if len(got) == len(names):
        return {n: got[f"{key}:{n}"] for n in names}, None
    built = build_bundle(user=user, query=query)
    parts = _parts(built)
    cache.set_many({f"{key}:{n}": v for n, v in parts.items()}, BUNDLE_TIMEOUT)
    return {n: parts[n] for n in names}, built


def bundle(*, user: Any, query: ReportQuery) -> Bundle:
    """The protected bundle of ``query`` for ``user``: from the cache when nothing it depends
    on has changed since it was built (every get is a fresh copy), else :func:`build_bundle`."""
    names = [f"report:{n}" for n in ("indikatorer", *REPORTS)] + ["extra", "threshold"]
    parts, built = cached_parts(user, query, names)
    if built is not None:
        return built
    return Bundle(query, parts["threshold"],
                  {n.removeprefix("report:"): parts[n] for n in names if n.startswith("report:")},
                  parts["extra"])


def build_bundle(*, user: Any, query: ReportQuery) -> Bundle:
    """Build the headline, the six reports and the tables that share their counts (the start
    page's months for a single year; the national table for a national reader) and protect
    them as one problem with the links of :mod:`linking`."""
    figures = selectors.headline(user=user, query=query)
    built = {
        "indikatorer": Report(
            "indikatorer", _("Huvudindikatorer"), query,
            [headline_table(
                figures, _("Huvudindikatorer %(period)s") % {"period": query.period.label}
            )],
        ),
        **{name: builder(user=user, query=query, figures=figures)
           for name, builder in REPORTS.items()},
    }
    extra: dict[str, Table] = {}
    p = query.period
    if p.whole_years and p.start.year == p.end.year:
        extra["started_by_month"] = started_by_month_table(user=user, query=query)
    if selectors.is_national_reader(user=user):
        extra["national"] = national_table(user=user, query=query)
    limit = threshold()
    tables = [t for r in built.values() for t in r.tables] + list(extra.values())
    protect_tables(tables, linking.relations(_layout(built, extra)), limit)
    for r in built.values():
        r.threshold = limit
    return Bundle(query, limit, built, extra)


def build(name: str, *, user: Any, query: ReportQuery) -> Report:
    """Report ``name`` (or ``indikatorer``) out of its scope's one protection run
    (KeyError for an unknown name)."""
    if name != "indikatorer" and name not in REPORTS:
        raise KeyError(name)
    parts, _built = cached_parts(user, query, [f"report:{name}"])
    return parts[f"report:{name}"]  # type: ignore[no-any-return]

"""The tables that share the reports' counts and are protected with them: participations started per
month (the start page of a single year) and the national table of every förbund.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django.utils.translation import gettext as _

from stegvis.indicators import linking, selectors
from stegvis.indicators.linking import cohort, headline
from stegvis.indicators.reports.report import (
    KMT,
    _count_kmt,
)
from stegvis.indicators.selectors import ReportQuery
from stegvis.indicators.tables import (
    COUNT,
    Cell,
    Row,
    Table,
    kmt_columns,
    kmt_triples,
    rate_cell,
)

MONTH_NAMES: Final = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                      "september", "oktober", "november", "december")


def started_by_month_table(*, user: Any, query: ReportQuery) -> Table:
    months = selectors.started_by_month(user=user, query=query)
    year = query.period.start.year
    table = Table(
        key="started_by_month",
        caption=_("Påbörjade deltaganden per månad %(year)s") % {"year": year},
        row_header=_("Månad"),
        columns=kmt_columns(),
        triples=kmt_triples(1),
        chart=True,
    )
    for m in range(1, 13):
        table.rows.append(Row(MONTH_NAMES[m - 1].capitalize(),
                              _count_kmt(months, (), f"m{m}",
                                         lambda s, m=m: linking.month_started(m, s)),
                              key=str(m)))
    table.total_row = 12
    table.rows.append(
        Row(_("Totalt"), [Cell(COUNT, sum(selectors.count_at(months, (s,), f"m{m}")
                                       for m in range(1, 13)),
                            ref=headline("participants_started", s)) for s in KMT],
            key="total")
    )
    return table


def national_table(*, user: Any, query: ReportQuery) -> Table:
    associations, data = selectors.by_association(user=user, query=query)
    table = Table(
        key="national",
        caption=_("Alla förbund %(label)s") % {"label": query.period.label},
        row_header=_("Förbund"),
        columns=[
            *kmt_columns(_("Aktiva:")),
            *kmt_columns(_("Påbörjade:")),
            *kmt_columns(_("Avslutade:")),
            _("I arbete eller studier efter"),
            _("Utan offentlig försörjning efter"),
        ],
        triples=kmt_triples(3),
        chart=True,
    )
    names = ("participants_active", "participants_started", "participants_ended")
    totals: dict[str, dict[str, int]] = {s: {} for s in KMT}

    def cells(get: Callable[[str, str], int], total: bool = False) -> list[Cell]:
        out: list[Cell] = []
        for name in names:
            out.extend(Cell(COUNT, get(name, s), ref=headline(name, s) if total else None)
                       for s in KMT)
        for name in ("work_or_studies_after", "no_public_support_after"):
            out.append(rate_cell(get(name, "T"), get("cohort", "T"),
                                 num_ref=headline(name, "T") if total else None,
                                 den_ref=cohort("T") if total else None))
        return out

    for a in associations:
        def get(name: str, s: str, pk: int = a.pk) -> int:
            return selectors.count_at(data, (pk, s), name)

        for s in KMT:
            for name in (*names, "work_or_studies_after", "no_public_support_after", "cohort"):
                totals[s][name] = totals[s].get(name, 0) + get(name, s)
        table.rows.append(Row(a.name, cells(get), key=str(a.pk)))
    table.total_row = len(table.rows)
    table.rows.append(Row(_("Totalt"), cells(lambda n, s: totals[s].get(n, 0), total=True),
                          key="total"))
    return table

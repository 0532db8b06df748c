"""The start page per förbund, the national view and the yearly aggregate, each taken out of
the protected bundle of its scope.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.followup import selectors as followup_selectors
from stegvis.indicators import maths, periods, selectors
from stegvis.indicators.reports.builders import INTERVENTION_TEXT_COLUMNS
from stegvis.indicators.reports.protected import bundle, cached_parts
from stegvis.indicators.reports.report import Report
from stegvis.indicators.selectors import ReportQuery
from stegvis.indicators.tables import (
    AMOUNT,
    COUNT,
    Cell,
    Row,
    Table,
    kmt_columns,
    protect_tables,
)

# --- start page and national view ----------------------------------------------------------


def association_start(*, user: Any, association_id: int, today: dt.date | None = None) -> Report:
    association = selectors.association_for_reports(user=user, association_id=association_id)
    now = today or timezone.localdate()
    current = selectors.resolve_query(
        user=user, period=periods.year_period(now.year), association_ids=[association.pk]
    )
    previous = selectors.resolve_query(
        user=user, period=periods.year_period(now.year - 1), association_ids=[association.pk]
    )
    cur_bundle = bundle(user=user, query=current)
    cur = cur_bundle.reports["indikatorer"].tables[0]
    cur.key, cur.caption = "headline_current", f"Huvudindikatorer {now.year}"
    prev = bundle(user=user, query=previous).reports["indikatorer"].tables[0]
    prev.key, prev.caption = "headline_previous", f"Huvudindikatorer {now.year - 1}"
    by_month = cur_bundle.extra["started_by_month"]
    fu = follow_ups_to_do_table(user=user, association_id=association.pk, today=now)
    protect_tables([fu], [], cur_bundle.threshold)
    return Report("start", association.name, current, [cur, prev, by_month, fu],
                  threshold=cur_bundle.threshold)


FOLLOW_UP_STATES: Final = (
    ("due", gettext_noop("Att göra")),
    ("overdue", gettext_noop("Försenade")),
    ("lapsed", gettext_noop("Fönstret har passerat")),
    ("total", gettext_noop("Totalt")),
)


def follow_ups_to_do_table(*, user: Any, association_id: int, today: dt.date) -> Table:
    """The start page's follow-ups to do: the same rule and counts as the coaches' worklist
    (``followup.selectors.association_follow_up_counts``), protected as any count."""
    counts = followup_selectors.association_follow_up_counts(
        user=user, association_id=association_id, today=today
    )
    table = Table(key="follow_ups_due", caption=_("Uppföljningar som ska göras nu"),
                  row_header=_("Uppföljning"), columns=[_(label) for _k, label in FOLLOW_UP_STATES],
                  row_sums=[(3, (0, 1, 2))])
    horizons = sorted(int(k) for k in counts if k != "total")
    for k in horizons:
        table.rows.append(Row(_("%(k)s månader") % {"k": k},
                              [Cell(COUNT, counts[str(k)][name]) for name, _l in FOLLOW_UP_STATES],
                              key=str(k)))
    table.total_row = len(table.rows)
    table.rows.append(Row(_("Totalt"), [Cell(COUNT, counts["total"][name])
                                     for name, _l in FOLLOW_UP_STATES], key="total"))
    return table


def national(*, user: Any, query: ReportQuery) -> Report:
    parts, _built = cached_parts(user, query, ["extra", "threshold"])
    return Report("nationellt", _("Nationell översikt"), query, [parts["extra"]["national"]],
                  threshold=parts["threshold"])


def yearly_aggregate(*, user: Any, association_id: int, year: int) -> Report:
    """The national follow-up's yearly figures of one förbund: insatser with participants by
    sex, budget and actual cost — cells taken from the same protection run as the
    Insatsrapport and Kostnadsrapport of that förbund and year."""
    association = selectors.association_for_reports(user=user, association_id=association_id)
    query = selectors.resolve_query(
        user=user, period=periods.year_period(year), association_ids=[association.pk]
    )
    b = bundle(user=user, query=query)
    ins = b.reports["insatser"].tables[0]
    money = {row.key.split(":")[0]: row for row in b.reports["kostnader"].tables[0].rows
             if row.key != "total"}
    n = len(INTERVENTION_TEXT_COLUMNS)
    table = Table(
        key="yearly",
        caption=_("Insatser %(year)s: deltagare efter kön, budget och utfall") % {"year": year},
        row_header=_("Insats"),
        columns=[_("Inriktning"), _("Uppföljningsmetod"), *kmt_columns(_("Identifierade:")),
                 *kmt_columns(_("Anonyma:")), _("Volym"), _("Planerat antal deltagare"),
                 _("Budget (kr)"), _("Utfall (kr)")],
        triples=[(2, 3, 4), (5, 6, 7)],
        threshold=b.threshold,
    )
    for row in ins.rows:
        c = row.cells
        cost = money.get(row.key)
        table.rows.append(
            Row(
                row.header,
                [
                    copy.copy(c[1]), copy.copy(c[4]),
                    *[copy.copy(x) for x in c[n + 1:n + 8]],
                    copy.copy(c[n]),
                    copy.copy(cost.cells[1]) if cost else Cell(AMOUNT, None,
                                                               reason=maths.REASON_NO_COST),
                    copy.copy(cost.cells[2]) if cost else Cell(AMOUNT, None,
                                                               reason=maths.REASON_NO_COST),
                ],
                key=row.key,
            )
        )
    return Report("arsuppgifter", _("Årsuppgifter %(year)s") % {"year": year}, query, [table],
                  threshold=b.threshold)

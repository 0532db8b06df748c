"""The report model (:class:`Report`), the suppression threshold and the table helpers every
report shares: K/M/T counts, the headline table and the code distributions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.indicators import linking, maths, selectors
from stegvis.indicators.linking import cohort, fu_due, fu_measured, headline, step_both
from stegvis.indicators.maths import Figure
from stegvis.indicators.selectors import ReportQuery
from stegvis.indicators.tables import (
    COUNT,
    MEDIAN,
    PER,
    Cell,
    Row,
    Table,
    kmt_columns,
    kmt_triples,
    rate_cell,
    threshold_sentence,
)

KMT: Final = ("K", "M", "T")

REPORT_TITLES: Final[dict[str, str]] = {
    "standard": gettext_noop("Standardrapport"),
    "deltagare": gettext_noop("Deltagarrapport"),
    "insatser": gettext_noop("Insatsrapport"),
    "kostnader": gettext_noop("Kostnadsrapport"),
    "uppfoljning": gettext_noop("Uppföljningsrapport"),
    "tackning": gettext_noop("Täckning"),
}


@dataclass
class Report:
    name: str
    title: str
    query: ReportQuery
    tables: list[Table]
    threshold: int = 5
    generated: dt.date = field(default_factory=timezone.localdate)
    notes: list[str] = field(default_factory=list)

    @property
    def scope_label(self) -> str:
        if self.query.association_ids is None:
            return _("Hela landet")
        return ", ".join(self.query.association_names)

    @property
    def interventions_label(self) -> str:
        return ", ".join(self.query.intervention_names) or _("Alla insatser")

    @property
    def filters_label(self) -> str:
        """Every active filter in words ("Inga urval" when none)."""
        return "; ".join(f"{k}: {v}" for k, v in self.query.filter_labels) or _("Inga urval")

    @property
    def threshold_text(self) -> str:
        return threshold_sentence(self.threshold)

    def header_lines(self) -> list[tuple[str, str]]:
        """What the output shows: the same block on the page, in every export and the API."""
        return [
            (_("Rapport"), self.title),
            (_("Förbund"), self.scope_label),
            (_("Insatser"), self.interventions_label),
            (_("Period"), f"{self.query.period.label} ({self.query.period.start.isoformat()} – "
                       f"{self.query.period.end.isoformat()})"),
            (_("Urval"), self.filters_label),
            (_("Sekretessgräns"), self.threshold_text),
            (_("Framtagen"), self.generated.isoformat()),
        ]

    def meta(self) -> dict[str, Any]:
        f = self.query.filters
        return {
            "report": self.name,
            "title": self.title,
            "period": {
                "from": self.query.period.start.isoformat(),
                "to": self.query.period.end.isoformat(),
                "label": self.query.period.label,
            },
            "scope": self.scope_label,
            "associations": list(self.query.association_ids)
            if self.query.association_ids is not None
            else None,
            "interventions": list(self.query.intervention_ids),
            "filters": {
                "sex": f.sex or None,
                "age_groups": list(f.age_groups),
                "target_group": f.target_group or None,
                "kommun": f.kommun or None,
            },
            "filters_label": self.filters_label,
            "suppression_threshold": self.threshold,
            "suppression_text": self.threshold_text,
            "generated": self.generated.isoformat(),
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.meta(), "notes": self.notes, "tables": [t.as_dict() for t in self.tables]}


def threshold() -> int:
    return int(settings.STEGVIS_SUPPRESSION_THRESHOLD)


def _count_kmt(data: dict[tuple[Any, ...], dict[str, int]], prefix: tuple[Any, ...],
               name: str, ref: Callable[[str], Any] | None = None) -> list[Cell]:
    return [Cell(COUNT, selectors.count_at(data, (*prefix, s), name), ref=ref(s) if ref else None)
            for s in KMT]


# --- headline --------------------------------------------------------------------------------


def _rate_refs(key: str, sex: str) -> tuple[Any, Any]:
    """(numerator key, denominator key) of a headline rate."""
    if key.startswith("followup_"):
        k = int(key.split("_")[1].rstrip("m"))
        if key.endswith("_response"):
            return fu_measured(k, sex), fu_due(k, sex)
        return headline(key, sex), fu_measured(k, sex)
    if key == "step_progress":
        return headline(key, sex), step_both(sex)
    return headline(key, sex), cohort(sex)


def headline_cell(key: str, fig: Figure, sex: str) -> Cell:
    kind = maths.HEADLINE_KIND[key]
    if kind == "count":
        return Cell(COUNT, fig.value, ref=headline(key, sex), reason=fig.reason)
    if kind == "rate":
        num_ref, den_ref = _rate_refs(key, sex)
        return rate_cell(fig.numerator or 0, fig.denominator or 0, num_ref=num_ref,
                         den_ref=den_ref)
    if kind == "median":
        return Cell(MEDIAN, fig.value, denominator=fig.denominator, den_ref=cohort(sex),
                    reason=fig.reason or ("" if fig.value is not None
                                          else maths.REASON_NO_PEOPLE))
    return Cell(PER, round(fig.value) if fig.value is not None else None,
                denominator=fig.denominator,
                den_ref=linking.cost_participants() if sex == "T" else None,
                reason=fig.reason, preliminary=fig.preliminary)


def headline_table(
    figures: dict[tuple[str, str], Figure], caption: str, key: str = "headline"
) -> Table:
    table = Table(
        key=key, caption=caption, row_header=_("Indikator"), columns=kmt_columns(),
        triples=kmt_triples(1),
    )
    for k in maths.HEADLINE_KEYS:
        table.rows.append(
            Row(_(maths.HEADLINE_LABEL[k]), [headline_cell(k, figures[(k, s)], s) for s in KMT],
                key=k)
        )
    return table


Figures = dict[tuple[str, str], Figure]


def _code_table(
    data: dict[tuple[Any, ...], dict[str, int]],
    *,
    key: str,
    caption: str,
    row_header: str,
    rows: list[tuple[str, str]],
    total_ref: Callable[[str], Any],
    missing_label: str | None = None,
) -> Table:
    """A K/M/T distribution with a total row (the headline count ``total_ref``); values not
    in ``rows`` go to ``missing``."""
    known = {k for k, _label in rows}
    table = Table(key=key, caption=caption, row_header=row_header, columns=kmt_columns(),
                  triples=kmt_triples(1))
    missing = dict.fromkeys(KMT, 0)
    for (value, sex), counts in data.items():
        if value not in known:
            missing[sex] += counts["n"]
    for k, label in rows:
        table.rows.append(Row(label, _count_kmt(data, (k,), "n"), key=k))
    if any(missing.values()):
        table.rows.append(Row(missing_label or _("Uppgift saknas"),
                              [Cell(COUNT, missing[s]) for s in KMT], key=""))
    totals = dict.fromkeys(KMT, 0)
    for (_value, sex), counts in data.items():
        totals[sex] += counts["n"]
    table.total_row = len(table.rows)
    table.rows.append(Row(_("Totalt"), [Cell(COUNT, totals[s], ref=total_ref(s)) for s in KMT],
                          key="total"))
    return table

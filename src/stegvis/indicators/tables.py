"""Report tables: cells, K/M/T columns, linked protection and Swedish display. Pure: no Django.

A :class:`Table` holds raw figures. :func:`protect_tables` applies small-cell protection once
to every table of one scope and period together (see :mod:`protection`) and sets each cell's
``suppressed`` flag. Renderers (HTML, CSV, XLSX, PDF, JSON) read only protected tables.

Cells name the counts they show or are computed from (``ref``, ``num_ref``, ``den_ref``); the
same count shown in two tables carries the same key and is one variable of the problem.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from stegvis.indicators import protection
from stegvis.indicators.protection import Relation
from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop

COUNT: Final = "count"  # a number of participations/persons: protected
RATE: Final = "rate"  # numerator / denominator, shown as a percentage
MEDIAN: Final = "median"  # a median over ``denominator`` people (days)
PER: Final = "per"  # an amount divided by ``denominator`` people (kr per deltagare)
AMOUNT: Final = "amount"  # money or a reference figure: never hidden
CHANGE: Final = "change"  # percentage points between two rates of the same row
TEXT: Final = "text"

SEXES: Final = ("K", "M", "T")

HIDDEN_MARK: Final = ".."
NA_MARK: Final = "–"
MINUS: Final = "\u2212"
THIN_SPACE: Final = "\u202f"  # narrow no-break space: thousands separator everywhere

# Units are msgids, translated where shown.
UNITS: Final = {
    COUNT: gettext_noop("antal"),
    RATE: "%",
    MEDIAN: gettext_noop("dagar"),
    PER: gettext_noop("kr"),
    CHANGE: gettext_noop("p.e."),
}


def format_number(value: float | int, decimals: int = 0) -> str:
    """Swedish: narrow no-break space between thousands, decimal comma, U+2212 minus."""
    text = f"{abs(value):,.{decimals}f}".replace(",", THIN_SPACE).replace(".", ",")
    negative = value < 0 and text.strip("0, " + THIN_SPACE) != ""
    return (MINUS if negative else "") + text


def hidden_legend(threshold: int) -> str:
    return _(
        "%(mark)s = uppgiften visas inte för att skydda enskilda personer (färre än "
        "%(threshold)s, eller dold för att en annan uppgift inte ska kunna räknas fram)"
    ) % {"mark": HIDDEN_MARK, "threshold": threshold}


def threshold_sentence(threshold: int) -> str:
    return _(
        "Antal personer färre än %(threshold)s visas inte. Andelar, medianer och belopp per "
        "deltagare döljs när de bygger på ett dolt antal. Fler uppgifter döljs när ett dolt "
        "antal annars skulle kunna räknas fram ur summor, andra tabeller eller andelar för "
        "samma urval och period."
    ) % {"threshold": threshold}


@dataclass
class Cell:
    kind: str = COUNT
    value: float | int | str | None = None
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False
    # CHANGE cells: the (row, column) of the rates they compare (before, after).
    compares: tuple[tuple[int, int], tuple[int, int]] | None = None
    # Keys of the counts shown (COUNT) or computed from (numerator/denominator).
    ref: Hashable | None = None
    num_ref: Hashable | None = None
    den_ref: Hashable | None = None
    # Why a value is not applicable / not available (shown as ``–``).
    reason: str = ""  # why there is no value: a msgid, translated where it is shown
    preliminary: bool = False

    @property
    def not_available(self) -> bool:
        return not self.suppressed and self.value is None

    def display(self) -> str:
        """The cell as text for a page or export."""
        if self.suppressed:
            return HIDDEN_MARK
        if self.value is None:
            return NA_MARK if self.kind != TEXT else ""
        if self.kind == RATE:
            return format_number(float(self.value) * 100, 1) + " %"
        if self.kind == CHANGE:
            value = float(self.value)
            sign = "+" if round(value, 1) > 0 else ""
            return sign + format_number(value, 1) + " " + _("p.e.")
        if self.kind == MEDIAN:
            return format_number(float(self.value), 0)
        if self.kind in (COUNT, AMOUNT, PER) and isinstance(self.value, int | float):
            text = format_number(self.value, 0)
            return text + " " + _("(preliminär)") if self.preliminary else text
        return str(self.value)

    def number(self) -> float | int | None:
        """The value as a plain number for spreadsheets (percent for rates), else None."""
        if self.suppressed or self.value is None or self.kind == TEXT:
            return None
        if self.kind == RATE:
            return round(float(self.value) * 100, 1)
        if self.kind in (MEDIAN, CHANGE):
            return round(float(self.value), 1)
        if isinstance(self.value, int | float):
            return self.value
        return None

    def accessible_text(self) -> str:
        if self.suppressed:
            return _("dold uppgift")
        if self.value is None and self.kind != TEXT:
            return _("uppgift saknas: %(reason)s") % {
                "reason": _(self.reason) or _("ej tillgänglig")
            }
        return self.display()


@dataclass
class Row:
    header: str
    cells: list[Cell]
    key: str = ""


@dataclass
class Table:
    key: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    # Column triples (K, M, T) that sum: T = K + M, per row.
    triples: list[tuple[int, int, int]] = field(default_factory=list)
    # When set, the row at this index holds the column totals of the rows before it.
    total_row: int | None = None
    # Column groups whose first column is the sum of the others, per row (besides triples).
    row_sums: list[tuple[int, Sequence[int]]] = field(default_factory=list)
    # Row triples (K, M, T) that sum per column (e.g. the transition matrix).
    row_triples: list[tuple[int, int, int]] = field(default_factory=list)
    threshold: int = 5
    note: str = ""
    chart: bool = False
    # The column the chart draws (None: the K/M or before/after totals).
    chart_column: int | None = None

    def cell(self, r: int, c: int) -> Cell:
        return self.rows[r].cells[c]

    def cells(self) -> Iterable[Cell]:
        for row in self.rows:
            yield from row.cells

    def legend(self) -> list[str]:
        """Lines explaining every mark the table uses (shown beneath it, never only on hover)."""
        lines = []
        if any(c.suppressed for c in self.cells()):
            lines.append(hidden_legend(self.threshold))
        reasons = sorted({_(c.reason) for c in self.cells() if c.not_available and c.reason})
        lines.extend(f"{NA_MARK} = {reason}" for reason in reasons)
        if any(c.not_available and not c.reason and c.kind != TEXT for c in self.cells()):
            lines.append(_("%(mark)s = uppgift saknas") % {"mark": NA_MARK})
        if any(c.preliminary and not c.suppressed for c in self.cells()):
            lines.append(_("preliminär = utfallet för något av åren är inte stängt ännu"))
        return lines

    def column_units(self) -> list[str | None]:
        """Per column: the unit when every numeric cell of it has the same unit, else None."""
        out: list[str | None] = []
        for c in range(len(self.columns)):
            units = {
                _(UNITS.get(row.cells[c].kind, ""))
                for row in self.rows
                if c < len(row.cells) and row.cells[c].kind != TEXT
            }
            out.append(units.pop() if len(units) == 1 else None)
        return out

    def row_units(self) -> list[str]:
        """Per row: the unit of its numeric cells when they share one, else empty."""
        out = []
        for row in self.rows:
            units = {_(UNITS.get(c.kind, "")) for c in row.cells if c.kind != TEXT}
            out.append(units.pop() if len(units) == 1 else "")
        return out

    def display_rows(self) -> list[dict[str, Any]]:
        """Rows as text for templates and exports."""
        return [
            {
                "header": row.header,
                "key": row.key,
                "is_total": i == self.total_row,
                "cells": [
                    {"text": c.display(), "suppressed": c.suppressed,
                     "not_available": c.not_available and c.kind != TEXT,
                     "label": c.accessible_text(), "numeric": c.kind != TEXT}
                    for c in row.cells
                ],
            }
            for i, row in enumerate(self.rows)
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "caption": self.caption,
            "row_header": self.row_header,
            "columns": list(self.columns),
            "note": self.note,
            "legend": self.legend(),
            "rows": [
                {
                    "key": row.key,
                    "header": row.header,
                    "cells": [cell_json(c) for c in row.cells],
                }
                for row in self.rows
            ],
        }


def cell_json(cell: Cell) -> dict[str, Any]:
    """A cell for the API: hidden is ``suppressed``; n/a carries its ``reason``."""
    if cell.suppressed:
        return {"kind": cell.kind, "value": None, "suppressed": True}
    out: dict[str, Any] = {"kind": cell.kind, "value": cell.value, "suppressed": False}
    if cell.value is None and cell.kind != TEXT:
        out["reason"] = _(cell.reason) or _("uppgift saknas")
        return out
    if cell.kind in (RATE, MEDIAN, PER):
        out["numerator"] = cell.numerator if cell.kind == RATE else None
        out["denominator"] = cell.denominator
    if cell.preliminary:
        out["preliminary"] = True
    return out


def kmt_columns(prefix: str = "") -> list[str]:
    labels = [_("Kvinnor"), _("Män"), _("Totalt")]
    return [f"{prefix} {x}".strip() for x in labels]


def kmt_triples(n_groups: int) -> list[tuple[int, int, int]]:
    return [(3 * i, 3 * i + 1, 3 * i + 2) for i in range(n_groups)]


# --- protection --------------------------------------------------------------------------


def _var(table: Table, r: int, c: int, part: str) -> Hashable | None:
    """The variable a cell contributes for ``part`` ('v' value, 'n' numerator,
    'd' denominator), or None when the cell has no such count."""
    cell = table.cell(r, c)
    own = (table.key, r, c, part)
    if part == "v" and cell.kind == COUNT:
        return cell.ref if cell.ref is not None else own
    if part == "n" and cell.kind == RATE:
        return cell.num_ref if cell.num_ref is not None else own
    if part == "d" and cell.kind in (RATE, MEDIAN, PER):
        return cell.den_ref if cell.den_ref is not None else own
    return None


def _cell_vars(table: Table, r: int, c: int) -> list[tuple[Hashable, int | None]]:
    cell = table.cell(r, c)
    out: list[tuple[Hashable, int | None]] = []
    parts: tuple[tuple[str, float | int | str | None], ...] = (
        ("v", cell.value), ("n", cell.numerator), ("d", cell.denominator)
    )
    for part, value in parts:
        key = _var(table, r, c, part)
        if key is None:
            continue
        out.append((key, None if value is None else int(value)))
    return out


def table_relations(table: Table) -> list[Relation]:
    """The relations a table states by its shape: K/M/T triples, row sums, total rows."""
    out: list[Relation] = []

    def rel(total: tuple[int, int], parts: Iterable[tuple[int, int]], name: str) -> None:
        for part in ("v", "n", "d"):
            t = _var(table, *total, part)
            ps = [_var(table, r, c, part) for r, c in parts]
            if t is not None and all(p is not None for p in ps):
                out.append(Relation(t, tuple(ps), f"{table.key}: {name}"))

    for r, row in enumerate(table.rows):
        for k, m, t in table.triples:
            if t < len(row.cells):
                rel((r, t), [(r, k), (r, m)], "K + M = T")
        for total, parts in table.row_sums:
            rel((r, total), [(r, p) for p in parts], "radsumma")
    for k, m, t in table.row_triples:
        for c in range(len(table.rows[t].cells)):
            rel((t, c), [(k, c), (m, c)], "K + M = T (rader)")
    if table.total_row is not None:
        for c in range(len(table.rows[table.total_row].cells)):
            rel((table.total_row, c), [(r, c) for r in range(table.total_row)], "totalrad")
    return out


def protect_tables(
    tables: Sequence[Table], links: Iterable[Relation], threshold: int
) -> set[Hashable]:
    """Protect every table of one scope and period as one problem (in place).

    ``links`` are the relations between tables (see :mod:`linking`). Returns the hidden keys.
    """
    values: dict[Hashable, int | None] = {}
    unavailable: set[Hashable] = set()
    known_links = list(links)
    for table in tables:
        for r, row in enumerate(table.rows):
            for c in range(len(row.cells)):
                for key, value in _cell_vars(table, r, c):
                    if value is None:
                        unavailable.add(key)
                    else:
                        values.setdefault(key, value)
    unavailable -= set(values)
    relations = [rel for t in tables for rel in table_relations(t)]
    known = set(values) | unavailable
    relations += [
        rel for rel in known_links
        if rel.total in known and all(p in known for p in rel.parts)
    ]
    hidden = protection.protect(values, relations, threshold, unavailable=unavailable)
    for table in tables:
        table.threshold = threshold
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                if cell.kind == COUNT:
                    cell.suppressed = _var(table, r, c, "v") in hidden
                elif cell.kind == RATE:
                    cell.suppressed = protection.rate_suppressed(
                        cell.numerator, cell.denominator, threshold,
                        numerator_hidden=_var(table, r, c, "n") in hidden,
                        denominator_hidden=_var(table, r, c, "d") in hidden,
                    )
                elif cell.kind in (MEDIAN, PER):
                    cell.suppressed = _var(table, r, c, "d") in hidden or protection.is_primary(
                        cell.denominator, threshold
                    )
        for row in table.rows:
            for cell in row.cells:
                if cell.kind == CHANGE and cell.compares is not None:
                    (r1, c1), (r2, c2) = cell.compares
                    a, b = table.cell(r1, c1), table.cell(r2, c2)
                    cell.suppressed = a.suppressed or b.suppressed
                    if a.value is None or b.value is None:
                        cell.value = None
                        cell.reason = a.reason or b.reason
    return hidden


def rate_cell(numerator: int, denominator: int, *, num_ref: Hashable | None = None,
              den_ref: Hashable | None = None) -> Cell:
    value = numerator / denominator if denominator else None
    return Cell(kind=RATE, value=value, numerator=numerator, denominator=denominator,
                num_ref=num_ref, den_ref=den_ref,
                reason="" if denominator else gettext_noop("inga personer i gruppen"))


def change_cell(before: Cell, after: Cell, where: tuple[tuple[int, int], tuple[int, int]]) -> Cell:
    value = None
    if before.value is not None and after.value is not None:
        value = (float(after.value) - float(before.value)) * 100
    return Cell(kind=CHANGE, value=value, compares=where)

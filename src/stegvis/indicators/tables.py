"""Report tables: cells, K/M/T columns and suppression of the final table. Pure: no Django.

A :class:`Table` holds raw figures. :func:`finalise` applies suppression once (counts, then
rates and medians through their numerators and denominators) and returns the same table with
each cell's ``suppressed`` flag set. Renderers (HTML, CSV, XLSX, PDF, JSON) read only finalised
tables.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from stegvis.indicators import suppression

COUNT: Final = "count"  # a number of participations/persons: suppressed when small
RATE: Final = "rate"  # numerator / denominator, shown as a percentage
MEDIAN: Final = "median"  # a median over ``denominator`` people (days)
AMOUNT: Final = "amount"  # money or a reference figure: never suppressed
CHANGE: Final = "change"  # percentage points between two rates of the same row
TEXT: Final = "text"

SEXES: Final = ("K", "M", "T")


@dataclass
class Cell:
    kind: str = COUNT
    value: float | int | str | None = None
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False
    # CHANGE cells: the (row, column) of the rates they compare (before, after).
    compares: tuple[tuple[int, int], tuple[int, int]] | None = None

    def display(self, threshold: int = 5) -> str:
        """The cell as text for a page or export (a suppressed cell is ``<threshold``)."""
        if self.suppressed:
            return f"<{threshold}"
        if self.value is None:
            return "–"
        if self.kind == RATE:
            return f"{float(self.value) * 100:.1f} %".replace(".", ",")
        if self.kind == CHANGE:
            return f"{float(self.value):+.1f}".replace(".", ",") + " p.e."
        if self.kind == MEDIAN:
            return f"{float(self.value):.0f}"
        if self.kind == AMOUNT and isinstance(self.value, float):
            return f"{self.value:,.0f}".replace(",", " ")
        if self.kind in (COUNT, AMOUNT) and isinstance(self.value, int):
            return f"{self.value:,}".replace(",", " ")
        return str(self.value)


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
    # Column groups whose last column is the sum of the others, per row (besides triples).
    row_sums: list[tuple[int, Sequence[int]]] = field(default_factory=list)
    # Row triples (K, M, T) that sum per column (e.g. the transition matrix).
    row_triples: list[tuple[int, int, int]] = field(default_factory=list)
    # (cell, other): ``cell`` is hidden whenever ``other`` is (same number shown twice).
    linked: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    threshold: int = 5
    note: str = ""
    chart: bool = False

    def cell(self, r: int, c: int) -> Cell:
        return self.rows[r].cells[c]

    def display_rows(self) -> list[dict[str, Any]]:
        """Rows as text for templates and exports."""
        return [
            {
                "header": row.header,
                "key": row.key,
                "is_total": i == self.total_row,
                "cells": [
                    {"text": c.display(self.threshold), "suppressed": c.suppressed,
                     "numeric": c.kind != TEXT}
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
            "rows": [
                {
                    "key": row.key,
                    "header": row.header,
                    "cells": [_cell_json(c) for c in row.cells],
                }
                for row in self.rows
            ],
        }


def _cell_json(cell: Cell) -> dict[str, Any]:
    if cell.suppressed:
        return {"kind": cell.kind, "value": None, "suppressed": True}
    out: dict[str, Any] = {"kind": cell.kind, "value": cell.value, "suppressed": False}
    if cell.kind in (RATE, MEDIAN):
        out["numerator"] = cell.numerator
        out["denominator"] = cell.denominator
    return out


def kmt_columns(prefix: str = "") -> list[str]:
    labels = ["Kvinnor", "Män", "Totalt"]
    return [f"{prefix} {x}".strip() for x in labels]


def kmt_triples(n_groups: int) -> list[tuple[int, int, int]]:
    return [(3 * i, 3 * i + 1, 3 * i + 2) for i in range(n_groups)]


def _groups(table: Table, part: str) -> list[suppression.Group]:
    """Relations over the hidden values ``part`` ('v', 'n' or 'd') of the table's cells."""
    groups: list[suppression.Group] = []
    n_rows = len(table.rows)
    for r in range(n_rows):
        for k, m, t in table.triples:
            groups.append(((r, t, part), [(r, k, part), (r, m, part)]))
        for total, parts in table.row_sums:
            groups.append(((r, total, part), [(r, p, part) for p in parts]))
    for k, m, t in table.row_triples:
        for c in range(len(table.rows[t].cells)):
            groups.append(((t, c, part), [(k, c, part), (m, c, part)]))
    if table.total_row is not None:
        n_cols = len(table.rows[table.total_row].cells)
        for c in range(n_cols):
            groups.append(
                ((table.total_row, c, part), [(r, c, part) for r in range(table.total_row)])
            )
    return groups


def finalise(table: Table, threshold: int) -> Table:
    """Apply primary and secondary suppression to ``table`` (in place) and return it."""
    values: dict[Hashable, int | None] = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell.kind == COUNT:
                values[(r, c, "v")] = _int(cell.value)
            elif cell.kind in (RATE, MEDIAN):
                if cell.kind == RATE:
                    values[(r, c, "n")] = cell.numerator
                values[(r, c, "d")] = cell.denominator
    groups = [g for part in ("v", "n", "d") for g in _groups(table, part)]
    # Keep only relations whose cells all exist (e.g. no numerators for median cells).
    groups = [g for g in groups if g[0] in values and all(p in values for p in g[1])]
    hidden = suppression.suppress_counts(values, groups, threshold)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell.kind == COUNT:
                cell.suppressed = (r, c, "v") in hidden
            elif cell.kind == RATE:
                cell.suppressed = suppression.rate_suppressed(
                    cell.numerator,
                    cell.denominator,
                    threshold,
                    numerator_hidden=(r, c, "n") in hidden,
                    denominator_hidden=(r, c, "d") in hidden,
                )
            elif cell.kind == MEDIAN:
                cell.suppressed = (r, c, "d") in hidden or (
                    cell.denominator is not None and 0 < cell.denominator < threshold
                )
    for (r, c), (r2, c2) in table.linked:
        if table.cell(r2, c2).suppressed:
            table.cell(r, c).suppressed = True
    table.threshold = threshold
    for row in table.rows:
        for cell in row.cells:
            if cell.kind == CHANGE and cell.compares is not None:
                (r1, c1), (r2, c2) = cell.compares
                a, b = table.cell(r1, c1), table.cell(r2, c2)
                cell.suppressed = a.suppressed or b.suppressed
                if a.value is None or b.value is None:
                    cell.value = None
    return table


def _int(value: Any) -> int | None:
    if value is None:
        return None
    return int(value)


def rate_cell(numerator: int, denominator: int) -> Cell:
    value = numerator / denominator if denominator else None
    return Cell(kind=RATE, value=value, numerator=numerator, denominator=denominator)


def change_cell(before: Cell, after: Cell, where: tuple[tuple[int, int], tuple[int, int]]) -> Cell:
    value = None
    if before.value is not None and after.value is not None:
        value = (float(after.value) - float(before.value)) * 100
    return Cell(kind=CHANGE, value=value, compares=where)

"""Reading the CSV of the state model's inputs, and checking it. Pure: no Django imports.

Format (UTF-8, with or without BOM; separator ``;`` or ``,`` or tab, taken from the header):

    kommunkod;forsorjningsmatt;befolkning[;forbund]

- one row per kommun: its försörjningsmått (kronor, Swedish number formats) and population in the
  age band. The rows of a förbund's kommuner are summed to the förbund's area.
- ``forbund`` (organisationsnummer, optional column): needed for a kommun whose area is shared
  by several förbund (kommundelar, e.g. Göteborg): give one row per förbund with that förbund's
  part. Stegvis has no figures per kommundel, so it does not split a shared kommun itself.
  A row with ``forbund`` and an empty ``kommunkod`` is the förbund's total.
- a kommun in no förbund's area is kept (for what-if) but counts for no förbund.

Every problem is reported per row; nothing is saved while any row has a problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from stegvis.finance.numbers import NumberError, parse_count, parse_decimal

COLUMNS = {
    "kommunkod": "kommunkod",
    "forsorjningsmatt": "forsorjningsmatt",
    "försörjningsmått": "forsorjningsmatt",
    "befolkning": "befolkning",
    "forbund": "forbund",
    "förbund": "forbund",
}
REQUIRED = ("kommunkod", "forsorjningsmatt", "befolkning")
MAX_ROWS = 5000


@dataclass
class Row:
    line: int
    kommunkod: str
    forbund: str
    support_measure: Decimal | None = None
    population: int | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    association: Any = None  # the förbund the row counts for (set by ``assign``)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Parsed:
    rows: list[Row]
    problems: list[str]  # about the whole file

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.rows)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + sum(len(r.problems) for r in self.rows)


def _normalise_header(name: str) -> str:
    return COLUMNS.get(name.strip().lstrip("\ufeff").lower().replace(" ", ""), name.strip())


def parse(text: str) -> Parsed:
    """Rows and their problems of format (numbers, missing values, duplicates)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        return Parsed([], [_("Filen är tom.")])
    first = text.splitlines()[0]
    delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_normalise_header(h) for h in next(reader)]
    if problems := _header_problems(header):
        return Parsed([], problems)
    index = {h: i for i, h in enumerate(header)}
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            return Parsed(
                rows, [_("Filen har fler än %(max)s rader.") % {"max": MAX_ROWS}]
            )
        row = _parse_row(line, values, header, index)
        key = (row.kommunkod, row.forbund)
        if key in seen:
            what = (
                _("kommun %(kommunkod)s") % {"kommunkod": row.kommunkod}
                if row.kommunkod
                else _("förbund %(forbund)s") % {"forbund": row.forbund}
            )
            row.problems.append(
                _("Dubblett: %(what)s finns redan på rad %(line)s.")
                % {"what": what, "line": seen[key]}
            )
        else:
            seen[key] = line
        rows.append(row)
    if not rows:
        return Parsed([], [_("Filen har inga datarader.")])
    return Parsed(rows, [])


def _header_problems(header: list[str]) -> list[str]:
    """Every required column present, none twice."""
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [
            _(
                "Kolumnen ”%(column)s” saknas. Filen ska ha kolumnerna kommunkod, "
                "forsorjningsmatt och befolkning (och valfritt forbund)."
            )
            % {"column": c}
            for c in missing
        ]
    dupes = sorted({h for h in header if header.count(h) > 1})
    return [_("Kolumnen ”%(column)s” finns mer än en gång.") % {"column": h} for h in dupes]


def _parse_row(line: int, values: Sequence[str], header: list[str], index: dict[str, int]) -> Row:
    """One data row with the problems of its own values (duplicates are the caller's)."""

    def get(column: str) -> str:
        i = index.get(column)
        return values[i].strip() if i is not None and i < len(values) else ""

    row = Row(line=line, kommunkod=get("kommunkod"), forbund=get("forbund").replace(" ", ""))
    if len(values) > len(header):
        row.problems.append(
            _(
                "Raden har %(values)s värden men rubriken %(columns)s kolumner (kontrollera "
                "avgränsare och decimaltecken)."
            )
            % {"values": len(values), "columns": len(header)}
        )
    if not row.kommunkod and not row.forbund:
        row.problems.append(_("Kommunkod saknas."))
    elif row.kommunkod and not (len(row.kommunkod) == 4 and row.kommunkod.isdigit()):
        row.problems.append(
            _("Ogiltig kommunkod ”%(kommunkod)s”: ange fyra siffror.")
            % {"kommunkod": row.kommunkod}
        )
    for column, label, parser, attr in (
        ("forsorjningsmatt", _("Försörjningsmått"), parse_decimal, "support_measure"),
        ("befolkning", _("Befolkning"), parse_count, "population"),
    ):
        raw = get(column)
        try:
            value = parser(raw)
        except NumberError as error:
            row.problems.append(error.message(label))
            continue
        if value is None:
            row.problems.append(_("%(label)s saknas.") % {"label": label})
        elif value < 0:
            row.problems.append(
                _("%(label)s: får inte vara negativt (fick ”%(raw)s”).")
                % {"label": label, "raw": raw}
            )
        else:
            setattr(row, attr, value)
    return row


@dataclass(frozen=True)
class Area:
    """What the importer needs to know about förbund and kommuner (from the database)."""

    known_kommuner: set[str]
    associations_by_org_number: Mapping[str, Any]  # org nr → association key
    names: Mapping[Any, str]
    areas: Mapping[str, list[Any]]  # kommunkod → keys of förbund whose area includes it


def assign(parsed: Parsed, area: Area, normalise_org_number: Callable[[str], str]) -> None:
    """Check kommunkoder and förbund against the database, and decide each row's förbund."""
    totals_for: set[Any] = set()
    kommun_rows_for: set[Any] = set()
    for row in parsed.rows:
        association = None
        if row.forbund:
            try:
                org_number = normalise_org_number(row.forbund)
            except ValueError:
                org_number = ""
            association = area.associations_by_org_number.get(org_number)
            if association is None:
                row.problems.append(
                    _("Okänt förbund med organisationsnummer ”%(forbund)s”.")
                    % {"forbund": row.forbund}
                )
                continue
        if row.kommunkod:
            if row.kommunkod not in area.known_kommuner:
                row.problems.append(
                    _("Okänd kommunkod ”%(kommunkod)s”.") % {"kommunkod": row.kommunkod}
                )
                continue
            owners = area.areas.get(row.kommunkod, [])
            if association is not None:
                if association not in owners:
                    row.problems.append(
                        _("Kommun %(kommunkod)s ingår inte i området för %(association)s.")
                        % {"kommunkod": row.kommunkod, "association": area.names[association]}
                    )
                    continue
            elif len(owners) > 1:
                row.problems.append(
                    _(
                        "Kommun %(kommunkod)s ingår i flera förbunds områden (%(associations)s): "
                        "ange förbundets organisationsnummer i kolumnen forbund, en rad per "
                        "förbund."
                    )
                    % {
                        "kommunkod": row.kommunkod,
                        "associations": ", ".join(sorted(area.names[o] for o in owners)),
                    }
                )
                continue
            elif owners:
                association = owners[0]
            else:
                row.notes.append(
                    _(
                        "Kommun %(kommunkod)s ingår inte i något förbunds område; raden sparas "
                        "men räknas inte till något förbund."
                    )
                    % {"kommunkod": row.kommunkod}
                )
            if association is not None:
                kommun_rows_for.add(association)
        elif association is not None:
            if association in totals_for:
                row.problems.append(
                    _("%(association)s har redan en totalrad.")
                    % {"association": area.names[association]}
                )
                continue
            totals_for.add(association)
        row.association = association
    both = totals_for & kommun_rows_for
    for row in parsed.rows:
        if row.association in both and row.ok:
            row.problems.append(
                _("%(association)s anges både med totalrad och med kommunrader; välj det ena.")
                % {"association": area.names[row.association]}
            )
    # Whole kommun rows and per-förbund rows for the same kommun do not mix.
    split = {r.kommunkod for r in parsed.rows if r.kommunkod and r.forbund}
    for row in parsed.rows:
        if row.kommunkod in split and not row.forbund and row.ok:
            row.problems.append(
                _("Kommun %(kommunkod)s anges både för hela kommunen och per förbund.")
                % {"kommunkod": row.kommunkod}
            )


@dataclass(frozen=True)
class Total:
    association: Any
    name: str
    support_measure: Decimal
    population: int
    rows: int


def totals(parsed: Parsed, names: Mapping[Any, str]) -> list[Total]:
    """Each förbund's sums over its rows (call after ``assign``; rows with problems excluded)."""
    sums: dict[Any, list[Any]] = {}
    for row in parsed.rows:
        if row.ok and row.association is not None:
            s = sums.setdefault(row.association, [Decimal(0), 0, 0])
            s[0] += row.support_measure
            s[1] += row.population
            s[2] += 1
    return sorted(
        (Total(a, names[a], s[0], s[1], s[2]) for a, s in sums.items()), key=lambda t: t.name
    )

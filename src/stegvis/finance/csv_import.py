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
        return Parsed([], ["Filen är tom."])
    first = text.splitlines()[0]
    delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_normalise_header(h) for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return Parsed(
            [],
            [
                f"Kolumnen ”{c}” saknas. Filen ska ha kolumnerna kommunkod, forsorjningsmatt och "
                "befolkning (och valfritt forbund)."
                for c in missing
            ],
        )
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        return Parsed([], [f"Kolumnen ”{h}” finns mer än en gång." for h in dupes])
    index = {h: i for i, h in enumerate(header)}
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            return Parsed(rows, [f"Filen har fler än {MAX_ROWS} rader."])

        def get(column: str, values: Sequence[str] = values) -> str:
            i = index.get(column)
            return values[i].strip() if i is not None and i < len(values) else ""

        row = Row(line=line, kommunkod=get("kommunkod"), forbund=get("forbund").replace(" ", ""))
        if len(values) > len(header):
            row.problems.append(
                f"Raden har {len(values)} värden men rubriken {len(header)} kolumner "
                "(kontrollera avgränsare och decimaltecken)."
            )
        if not row.kommunkod and not row.forbund:
            row.problems.append("Kommunkod saknas.")
        elif row.kommunkod and not (len(row.kommunkod) == 4 and row.kommunkod.isdigit()):
            row.problems.append(f"Ogiltig kommunkod ”{row.kommunkod}”: ange fyra siffror.")
        for column, label, parser, attr in (
            ("forsorjningsmatt", "Försörjningsmått", parse_decimal, "support_measure"),
            ("befolkning", "Befolkning", parse_count, "population"),
        ):
            raw = get(column)
            try:
                value = parser(raw)
            except NumberError as error:
                row.problems.append(error.message(label))
                continue
            if value is None:
                row.problems.append(f"{label} saknas.")
            elif value < 0:
                row.problems.append(f"{label}: får inte vara negativt (fick ”{raw}”).")
            else:
                setattr(row, attr, value)
        key = (row.kommunkod, row.forbund)
        if key in seen:
            what = f"kommun {row.kommunkod}" if row.kommunkod else f"förbund {row.forbund}"
            row.problems.append(f"Dubblett: {what} finns redan på rad {seen[key]}.")
        else:
            seen[key] = line
        rows.append(row)
    if not rows:
        return Parsed([], ["Filen har inga datarader."])
    return Parsed(rows, [])


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
                row.problems.append(f"Okänt förbund med organisationsnummer ”{row.forbund}”.")
                continue
        if row.kommunkod:
            if row.kommunkod not in area.known_kommuner:
                row.problems.append(f"Okänd kommunkod ”{row.kommunkod}”.")
                continue
            owners = area.areas.get(row.kommunkod, [])
            if association is not None:
                if association not in owners:
                    row.problems.append(
                        f"Kommun {row.kommunkod} ingår inte i området för "
                        f"{area.names[association]}."
                    )
                    continue
            elif len(owners) > 1:
                row.problems.append(
                    f"Kommun {row.kommunkod} ingår i flera förbunds områden ("
                    + ", ".join(sorted(area.names[o] for o in owners))
                    + "): ange förbundets organisationsnummer i kolumnen forbund, en rad per "
                    "förbund."
                )
                continue
            elif owners:
                association = owners[0]
            else:
                row.notes.append(
                    f"Kommun {row.kommunkod} ingår inte i något förbunds område; raden sparas "
                    "men räknas inte till något förbund."
                )
            if association is not None:
                kommun_rows_for.add(association)
        elif association is not None:
            if association in totals_for:
                row.problems.append(
                    f"{area.names[association]} har redan en totalrad."
                )
                continue
            totals_for.add(association)
        row.association = association
    both = totals_for & kommun_rows_for
    for row in parsed.rows:
        if row.association in both and row.ok:
            row.problems.append(
                f"{area.names[row.association]} anges både med totalrad och med kommunrader; "
                "välj det ena."
            )
    # Whole kommun rows and per-förbund rows for the same kommun do not mix.
    split = {r.kommunkod for r in parsed.rows if r.kommunkod and r.forbund}
    for row in parsed.rows:
        if row.kommunkod in split and not row.forbund and row.ok:
            row.problems.append(
                f"Kommun {row.kommunkod} anges både för hela kommunen och per förbund."
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

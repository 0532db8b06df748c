"""Pure rules of register matching: the cohort file, the outcome file, and the register
indicators' arithmetic. No Django imports. Formats are documented in docs/registermatchning.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from stegvis.lib.i18n import gettext as _

COHORT_COLUMNS: Final = ("personnummer", "nyckel", "startdatum", "slutdatum", "kon",
                         "aldersgrupp")
OUTCOME_COLUMNS: Final = ("nyckel", "manad", "stod", "arbete", "studier", "fodd_utomlands")
# SCB's support measures (codes in the outcome file's ``stod`` column, comma-separated).
SUPPORT_MEASURES: Final[dict[str, str]] = {
    "sjukpenning": "Sjukpenning",
    "aktivitets_sjukersattning": "Aktivitets- och sjukersättning",
    "arbetsloshetsersattning": "Arbetslöshetsersättning",
    "aktivitetsstod": "Aktivitetsstöd",
    "etableringsersattning": "Etableringsersättning",
    "ekonomiskt_bistand": "Ekonomiskt bistånd",
}
HORIZONS: Final = (6, 12, 24, 36)
_KEY_RE = re.compile(r"^[0-9a-f]{32}$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_ERRORS: Final = 50


def new_key() -> str:
    """A random pseudonymous key (128 bits), new for every export."""
    return secrets.token_hex(16)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass(frozen=True)
class CohortRow:
    personnummer: str
    key: str
    start: dt.date
    end: dt.date | None
    sex: str
    age_group: str


def cohort_csv(rows: Iterable[CohortRow]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(COHORT_COLUMNS)
    for r in rows:
        w.writerow([r.personnummer, r.key, r.start.isoformat(),
                    r.end.isoformat() if r.end else "", r.sex, r.age_group])
    return out.getvalue().encode("utf-8")


def manifest_text(*, scope: str, purpose: str, legal_basis: str, ordered_by: str,
                  created: str, row_count: int, data_checksum: str) -> str:
    return (
        "Stegvis kohortexport\n"
        f"Omfattning: {scope}\n"
        f"Ändamål: {purpose}\n"
        f"Rättslig grund: {legal_basis}\n"
        f"Beställd av: {ordered_by}\n"
        f"Skapad: {created}\n"
        f"Antal rader: {row_count}\n"
        f"SHA-256 för kohort.csv: {data_checksum}\n"
        f"Returformat: {';'.join(OUTCOME_COLUMNS)} (se docs/registermatchning.md)\n"
    )


@dataclass(frozen=True)
class OutcomeRow:
    line: int
    key: str
    month: dt.date
    support: tuple[str, ...]
    employed: bool
    studying: bool
    born_abroad: bool | None


def _flag(value: str, *, optional: bool = False) -> bool | None:
    value = value.strip()
    if value == "1":
        return True
    if value == "0":
        return False
    if optional and value == "":
        return None
    raise ValueError


def parse_outcomes(text: str) -> tuple[list[OutcomeRow], list[str]]:
    """Rows of an outcome file, and one Swedish error per bad row (the file is then refused
    as a whole). Keys are checked for their form here; against the export by the service."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != OUTCOME_COLUMNS:
        return [], [
            _("Filen saknar rubrikraden %(header)s.") % {"header": ";".join(OUTCOME_COLUMNS)}
        ]
    rows: list[OutcomeRow] = []
    errors: list[str] = []
    seen: set[tuple[str, dt.date]] = set()
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        problems: list[str] = []
        if len(values) != len(OUTCOME_COLUMNS):
            errors.append(
                _("Rad %(line)s: raden ska ha %(count)s fält.")
                % {"line": line, "count": len(OUTCOME_COLUMNS)}
            )
            continue
        key, month_s, support_s, work_s, studies_s, abroad_s = (v.strip() for v in values)
        if not _KEY_RE.match(key):
            problems.append(_("nyckeln har fel form"))
        month = None
        match = _MONTH_RE.match(month_s)
        if match and 1 <= int(match.group(2)) <= 12:
            month = dt.date(int(match.group(1)), int(match.group(2)), 1)
        else:
            problems.append(_("månaden ska skrivas ÅÅÅÅ-MM"))
        support = tuple(s.strip() for s in support_s.split(",") if s.strip())
        unknown = [s for s in support if s not in SUPPORT_MEASURES]
        if unknown:
            problems.append(_("okänd stödform"))
        flags: list[bool | None] = []
        for value, label, optional in ((work_s, "arbete", False), (studies_s, "studier", False),
                                       (abroad_s, "fodd_utomlands", True)):
            try:
                flags.append(_flag(value, optional=optional))
            except ValueError:
                problems.append(_("%(column)s ska vara 1 eller 0") % {"column": label})
        if month is not None and (key, month) in seen:
            problems.append(_("nyckeln och månaden finns redan på en tidigare rad"))
        if problems:
            errors.append(
                _("Rad %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        assert month is not None
        seen.add((key, month))
        rows.append(OutcomeRow(line, key, month, support, bool(flags[0]), bool(flags[1]),
                               flags[2]))
    if not rows and not errors:
        errors.append(_("Filen innehåller inga rader."))
    return rows, errors[:MAX_ERRORS]

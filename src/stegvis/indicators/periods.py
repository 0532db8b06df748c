"""Report periods and age groups. Pure: no Django imports.

A period is given as a year (``2024``), a quarter (``2024-Q2``) or custom dates ``from``/``to``
(``YYYY-MM-DD``, both inclusive). Errors are :class:`PeriodError` with a Swedish message that
names the field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop

MAX_YEARS: Final = 10

_YEAR = re.compile(r"^\d{4}$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")


class PeriodError(ValueError):
    """A period that cannot be used; ``field`` names the input, ``message`` is Swedish."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def years(self) -> range:
        """The calendar years the period touches."""
        return range(self.start.year, self.end.year + 1)

    @property
    def whole_years(self) -> bool:
        """True when the period is made of whole calendar years."""
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    @property
    def label(self) -> str:
        if (
            self.start.month == 1 and self.start.day == 1
            and self.end.month == 12 and self.end.day == 31
            and self.start.year == self.end.year
        ):
            return str(self.start.year)
        for q in range(4):
            first = dt.date(self.start.year, 3 * q + 1, 1)
            if self.start == first and self.end == _quarter_end(self.start.year, q + 1):
                return _("%(year)s kvartal %(quarter)s") % {
                    "year": self.start.year,
                    "quarter": q + 1,
                }
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    def previous_year(self) -> Period:
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1))


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    nxt = dt.date(year + (month // 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _parse_date(value: str, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(
            field,
            _("%(label)s: datumet kunde inte tolkas. Skriv det som ÅÅÅÅ-MM-DD.") % {"label": label},
        ) from None


def parse_period(
    *, period: str | None = None, start: str | None = None, end: str | None = None
) -> Period:
    """A period from ``period`` (year or quarter) or from ``start``/``end`` dates."""
    if period:
        text = period.strip()
        if _YEAR.match(text):
            year = int(text)
            if not 1900 <= year <= 2999:
                raise PeriodError("period", _("Period: året ligger utanför det tillåtna."))
            return year_period(year)
        m = _QUARTER.match(text)
        if m:
            year, quarter = int(m.group(1)), int(m.group(2))
            return Period(dt.date(year, 3 * quarter - 2, 1), _quarter_end(year, quarter))
        raise PeriodError(
            "period",
            _("Period: ange ett år (2024), ett kvartal (2024-Q2) eller datum från och till."),
        )
    if not start or not end:
        raise PeriodError("from", _("Period: ange både från- och till-datum."))
    first = _parse_date(start, "from", _("Från"))
    last = _parse_date(end, "to", _("Till"))
    if last < first:
        raise PeriodError("to", _("Till: slutdatumet ligger före startdatumet."))
    if _shift_year(first, MAX_YEARS) <= last:
        raise PeriodError(
            "to", _("Period: perioden får vara högst %(years)s år lång.") % {"years": MAX_YEARS}
        )
    return Period(first, last)


# --- age groups (domain.md §3) -------------------------------------------------------------

AGE_GROUP_LABELS: Final[dict[str, str]] = {
    "under_16": gettext_noop("Under 16"),
    "16_19": "16–19",
    "20_24": "20–24",
    "25_29": "25–29",
    "30_39": "30–39",
    "40_49": "40–49",
    "50_59": "50–59",
    "60_64": "60–64",
    "65_plus": "65+",
    "unknown": gettext_noop("Okänd"),
}
YOUNG: Final = "unga_16_29"  # summary band: 16–19, 20–24 and 25–29
YOUNG_GROUPS: Final = ("16_19", "20_24", "25_29")
UNKNOWN: Final = "unknown"


def expand_age_filter(value: str) -> tuple[str, ...]:
    """Age groups selected by a filter value (the summary band selects three)."""
    if value == YOUNG:
        return YOUNG_GROUPS
    if value in AGE_GROUP_LABELS:
        return (value,)
    raise PeriodError("age_group", _("Åldersgrupp: okänd åldersgrupp."))


def check_within_data(period: Period, today: dt.date) -> None:
    """A period that starts after today has no data yet: refuse it rather than show zeros."""
    if period.start > today:
        raise PeriodError(
            "from",
            _(
                "Perioden börjar %(date)s, efter dagens datum: det finns inga uppgifter för den "
                "ännu. Välj en period som börjar senast i dag."
            )
            % {"date": period.start.isoformat()},
        )

"""Swedish personnummer and samordningsnummer. Pure: no Django imports.

``parse()`` accepts the 10- or 12-digit form with or without ``-`` / ``+`` before the last four
digits (``+`` in the 10-digit form means the person is 100 years or older), checks the date
(samordningsnummer: day + 60), the Luhn check digit and that the date is not in the future, and
returns an :class:`Identity` with the normalised 12-digit form, birth date and sex.

Error messages are Swedish and never contain the number, so they are safe to show, log and raise.
The ``repr`` of an :class:`Identity` is masked for the same reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from stegvis.lib import luhn
from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop

_SHAPE = re.compile(
    r"^(?P<century>\d{2})?(?P<year>\d{2})(?P<month>\d{2})(?P<day>\d{2})"
    r"(?P<sign>[-+]?)(?P<serial>\d{3})(?P<checksum>\d)$"
)

MSG_EMPTY = gettext_noop("Ange personnummer eller samordningsnummer.")
MSG_FORMAT = gettext_noop(
    "Personnumret har fel format. Skriv 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN."
)
MSG_DATE = gettext_noop("Personnumret innehåller inget giltigt datum.")
MSG_CHECKSUM = gettext_noop(
    "Personnumrets kontrollsiffra stämmer inte. Kontrollera att siffrorna är rätt."
)
MSG_FUTURE = gettext_noop("Personnumret anger ett födelsedatum i framtiden.")
MSG_PLUS = gettext_noop("Plustecken används bara för personer som fyllt 100 år.")

SEX_WOMAN = "K"
SEX_MAN = "M"


class PersonnummerError(ValueError):
    """An invalid personnummer. ``str()`` is a Swedish message without the number."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Identity:
    """A valid personnummer or samordningsnummer."""

    normalised: str = field(repr=False)  # 12 digits, YYYYMMDDNNNC (day + 60 if samordningsnummer)
    birth_date: dt.date
    sex: str  # "K" or "M"
    coordination_number: bool

    def mask(self) -> str:
        return mask(self.normalised)

    def formatted(self) -> str:
        """The full number as ``ÅÅÅÅMMDD-NNNN`` (only for a deliberate, audited reveal)."""
        return f"{self.normalised[:8]}-{self.normalised[8:]}"

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)

    def __repr__(self) -> str:
        return f"Identity({self.mask()}, sex={self.sex!r})"

    __str__ = mask


def mask(normalised: str) -> str:
    """``19850101-****``: the date part of a normalised number, the last four hidden."""
    return f"{normalised[:8]}-****"


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (a person born 29 February turns a year older on 1 March)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def _birth_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise PersonnummerError(_(MSG_DATE)) from None


def parse(value: str, *, today: dt.date | None = None) -> Identity:
    """Validate ``value`` and return its :class:`Identity`; raise :class:`PersonnummerError`."""
    today = today or dt.date.today()
    text = (value or "").strip().replace(" ", "")
    if not text:
        raise PersonnummerError(_(MSG_EMPTY))
    m = _SHAPE.match(text)
    if m is None:
        raise PersonnummerError(_(MSG_FORMAT))
    gd = m.groupdict()
    month = int(gd["month"])
    day = int(gd["day"])
    coordination = day > 60
    real_day = day - 60 if coordination else day
    if not 1 <= month <= 12 or not 1 <= real_day <= 31:
        raise PersonnummerError(_(MSG_DATE))
    yy = int(gd["year"])

    if gd["century"] is not None:
        year = int(gd["century"]) * 100 + yy
        if year < 1800:
            raise PersonnummerError(_(MSG_DATE))
        birth = _birth_date(year, month, real_day)
        if birth > today:
            raise PersonnummerError(_(MSG_FUTURE))
        if gd["sign"] == "+" and age_on(birth, today) < 100:
            raise PersonnummerError(_(MSG_PLUS))
    else:
        # The most recent century in which the date is not in the future; "+" adds 100 years.
        year = (today.year // 100) * 100 + yy
        if (year, month, real_day) > (today.year, today.month, today.day):
            year -= 100
        if gd["sign"] == "+":
            year -= 100
        birth = _birth_date(year, month, real_day)
        if birth > today:  # only reachable for dates that do not exist this century
            raise PersonnummerError(_(MSG_FUTURE))

    if not luhn.is_valid(gd["year"] + gd["month"] + gd["day"] + gd["serial"] + gd["checksum"]):
        raise PersonnummerError(_(MSG_CHECKSUM))

    normalised = f"{year:04d}{month:02d}{day:02d}{gd['serial']}{gd['checksum']}"
    sex = SEX_WOMAN if int(gd["serial"][2]) % 2 == 0 else SEX_MAN
    return Identity(
        normalised=normalised, birth_date=birth, sex=sex, coordination_number=coordination
    )


def is_valid(value: str, *, today: dt.date | None = None) -> bool:
    try:
        parse(value, today=today)
    except PersonnummerError:
        return False
    return True


def check_digit(first_nine: str) -> int:
    """The Luhn check digit of ``YYMMDDNNN`` (used by tests and the demo generator)."""
    return int(luhn.check_digit(first_nine))

"""Swedish number parsing for money and counts. Pure: no Django imports.

Accepted: ``1234567``, ``1 234 567`` (space, no-break space or narrow no-break space between
groups of three), ``1 234,50`` and ``1234,5`` (decimal comma), ``1234.50`` (decimal point
followed by one, two or four-plus decimals), a leading minus sign, and an optional ``kr``.

Refused with a message: ``1,234`` and ``1.234`` (a single separator followed by exactly three
digits could be a thousands separator or a decimal sign), numbers mixing comma and point, badly
grouped thousands (``12 34``) and anything else that is not a number.

Messages are Swedish templates with ``%(label)s`` and ``%(value)s``; ``NumberError.message(label)``
fills them in. The service layer shows them next to the field.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop

_SPACES = ("\u00a0", "\u202f", "\u2009", " ")
_GROUPED = re.compile(r"^\d{1,3}( \d{3})+$")
_DIGITS = re.compile(r"^\d+$")


class NumberError(ValueError):
    """A value that is not a number we accept. ``template`` is Swedish with %(label)s/%(value)s."""

    def __init__(self, template: str, value: str) -> None:
        super().__init__(_(template) % {"label": _("Värdet"), "value": value})
        self.template = template
        self.value = value

    def message(self, label: str) -> str:
        return _(self.template) % {"label": label, "value": self.value}


AMBIGUOUS = gettext_noop(
    "%(label)s: ”%(value)s” är tvetydigt – skriv tusental med mellanslag (1 234) och "
    "decimaler med komma (1,5)."
)
NOT_A_NUMBER = gettext_noop(
    "%(label)s: ”%(value)s” är inte ett tal. Skriv till exempel 1 234 567 eller 1 234,50."
)
MIXED = gettext_noop(
    "%(label)s: ”%(value)s” blandar punkt och komma – skriv tusental med mellanslag och "
    "decimaler med komma (1 234,50)."
)
GROUPING = gettext_noop(
    "%(label)s: ”%(value)s” har felaktig gruppering av tusental (skriv 1 234 567)."
)
NOT_WHOLE = gettext_noop("%(label)s: ange hela kronor utan ören (fick ”%(value)s”).")
NOT_INTEGER = gettext_noop("%(label)s: ange ett heltal (fick ”%(value)s”).")
NEGATIVE = gettext_noop("%(label)s: beloppet får inte vara negativt (fick ”%(value)s”).")


def _integer_part(text: str, original: str) -> str:
    if " " in text:
        if not _GROUPED.match(text):
            raise NumberError(GROUPING, original)
        return text.replace(" ", "")
    if not _DIGITS.match(text):
        raise NumberError(NOT_A_NUMBER, original)
    return text


def parse_decimal(value: object) -> Decimal | None:
    """The number written in ``value`` (Swedish conventions); ``None`` for an empty value."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(NOT_A_NUMBER, str(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    original = str(value)
    text = original.strip()
    for space in _SPACES:
        text = text.replace(space, " ")
    text = re.sub(r"\s*kr\.?$", "", text, flags=re.IGNORECASE).strip()
    text = re.sub(r" +", " ", text)
    if not text:
        return None
    sign = ""
    if text[0] in "-−":
        sign, text = "-", text[1:].strip()
    elif text[0] == "+":
        text = text[1:].strip()
    if not text:
        raise NumberError(NOT_A_NUMBER, original)
    has_comma, has_point = "," in text, "." in text
    if has_comma and has_point:
        raise NumberError(MIXED, original)
    separator = "," if has_comma else "." if has_point else ""
    if separator:
        if text.count(separator) > 1:
            raise NumberError(AMBIGUOUS, original)
        whole, decimals = text.split(separator)
        if not decimals.isdigit() or not decimals.isascii():
            raise NumberError(NOT_A_NUMBER, original)
        if len(decimals) == 3 and " " not in whole and not whole.startswith("0"):
            raise NumberError(AMBIGUOUS, original)
        whole = _integer_part(whole, original) if whole else "0"
        number = f"{sign}{whole}.{decimals}"
    else:
        number = sign + _integer_part(text, original)
    if not number.lstrip("-").replace(".", "").isascii():
        raise NumberError(NOT_A_NUMBER, original)
    try:
        return Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude this
        raise NumberError(NOT_A_NUMBER, original) from exc


def parse_kronor(value: object, *, allow_negative: bool = False) -> int | None:
    """Whole kronor: ``1 234`` and ``1 234,00`` are accepted, ``1 234,50`` is not."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise NumberError(NOT_WHOLE, str(value))
    if number < 0 and not allow_negative:
        raise NumberError(NEGATIVE, str(value))
    return int(number)


def parse_count(value: object) -> int | None:
    """A non-negative whole number (people)."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise NumberError(NOT_INTEGER, str(value))
    if number < 0:
        raise NumberError(NEGATIVE, str(value))
    return int(number)


def format_kronor(value: object) -> str:
    """``1234567`` → ``1 234 567`` (no-break spaces), negative with a minus sign."""
    if value is None:
        return ""
    number = Decimal(str(value))
    whole = int(number.to_integral_value())
    text = f"{abs(whole):,}".replace(",", "\u00a0")
    return ("−" if whole < 0 else "") + text


def format_decimal(value: object, places: int = 2) -> str:
    """Swedish decimal: ``1234.5`` → ``1 234,50``."""
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    sign = "−" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    text = f"{int(whole):,}".replace(",", "\u00a0")
    return f"{sign}{text},{frac}" if places else f"{sign}{text}"

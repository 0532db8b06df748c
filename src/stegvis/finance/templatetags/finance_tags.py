"""Number formatting for money pages (Swedish: space for thousands, comma for decimals)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template

from stegvis.finance.numbers import format_decimal, format_kronor

register = template.Library()


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


@register.filter
def kr(value: Any) -> str:
    """Whole kronor: ``1 234 567``; empty for None."""
    if value is None or value == "":
        return ""
    return format_kronor(_decimal(value).to_integral_value())


@register.filter
def ore(value: Any) -> str:
    """Kronor with two decimals (exact shares, rounding differences)."""
    if value is None or value == "":
        return ""
    return format_decimal(_decimal(value), 2)


@register.filter
def pct(value: Any, places: int = 1) -> str:
    if value is None or value == "":
        return ""
    return format_decimal(_decimal(value), int(places)) + "\u00a0%"


@register.filter
def signed_kr(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = _decimal(value).to_integral_value()
    return ("+" if number > 0 else "") + format_kronor(number)


@register.filter
def decimal6(value: Any) -> str:
    if value is None or value == "":
        return ""
    return format_decimal(_decimal(value), 6)


@register.filter
def cell(value: Any) -> str:
    """An export cell: whole kronor for integers, two decimals for other numbers."""
    if value is None:
        return "–"
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, int):
        return format_kronor(value)
    return format_decimal(_decimal(value), 2)

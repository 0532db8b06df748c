"""Swedish number formats: accepted forms and the ambiguous ones refused with a message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stegvis.finance.numbers import (
    NumberError,
    format_kronor,
    parse_count,
    parse_decimal,
    parse_kronor,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234 567", Decimal(1234567)),
        ("1234567", Decimal(1234567)),
        ("1 234,50", Decimal("1234.50")),
        ("1234,5", Decimal("1234.5")),
        ("1\u00a0234\u00a0567", Decimal(1234567)),
        ("1\u202f234", Decimal(1234)),
        ("  42 kr ", Decimal(42)),
        ("-1 000", Decimal(-1000)),
        ("−500", Decimal(-500)),
        ("1234.50", Decimal("1234.50")),
        ("0,125", Decimal("0.125")),
        ("1 234,567", Decimal("1234.567")),
        ("", None),
        ("   ", None),
    ],
)
def test_accepted_formats(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,234", "tvetydigt"),
        ("1.234", "tvetydigt"),
        ("1,234,567", "tvetydigt"),
        ("1.234.567", "tvetydigt"),
        ("1.234,50", "blandar punkt och komma"),
        ("1,234.50", "blandar punkt och komma"),
        ("12 34", "gruppering"),
        ("1 2345", "gruppering"),
        ("abc", "inte ett tal"),
        ("12a", "inte ett tal"),
        ("1,", "inte ett tal"),
        ("-", "inte ett tal"),
    ],
)
def test_refused_formats_have_a_swedish_message(text, fragment):
    with pytest.raises(NumberError) as info:
        parse_decimal(text)
    message = info.value.message("Ram")
    assert message.startswith("Ram: ")
    assert fragment in message
    assert text.strip() in message


def test_whole_kronor():
    assert parse_kronor("1 234,00") == 1234
    assert parse_kronor(" 500 ") == 500
    with pytest.raises(NumberError, match="hela kronor"):
        parse_kronor("1 234,50")
    with pytest.raises(NumberError, match="negativt"):
        parse_kronor("-5")
    assert parse_kronor("-5", allow_negative=True) == -5


def test_counts():
    assert parse_count("12 000") == 12000
    with pytest.raises(NumberError, match="heltal"):
        parse_count("12,5")
    with pytest.raises(NumberError, match="negativt"):
        parse_count("-1")


def test_format_kronor():
    assert format_kronor(1234567) == "1\u00a0234\u00a0567"
    assert format_kronor(-5) == "−5"

"""Personnummer parsing: properties over generated numbers, and the documented edge cases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stegvis.lib import personnummer as pnr

TODAY = dt.date(2025, 6, 15)

births = st.dates(min_value=dt.date(1926, 7, 1), max_value=dt.date(2025, 6, 15))
serials = st.integers(min_value=0, max_value=999)


def build(birth: dt.date, serial: int, *, coordination: bool = False) -> tuple[str, str]:
    """(10-digit with '-', 12-digit) forms of a valid number."""
    day = birth.day + (60 if coordination else 0)
    body = f"{birth:%y%m}{day:02d}{serial:03d}"
    check = pnr.check_digit(body)
    ten = f"{body[:6]}-{body[6:]}{check}"
    return ten, f"{birth.year // 100}{body}{check}"


@given(births, serials, st.booleans())
def test_valid_numbers_round_trip(birth, serial, coordination):
    ten, twelve = build(birth, serial, coordination=coordination)
    a = pnr.parse(twelve, today=TODAY)
    assert a.birth_date == birth
    assert a.normalised == twelve
    assert a.coordination_number is coordination
    assert a.sex == ("K" if serial % 10 % 2 == 0 else "M")
    assert a.mask() == f"{twelve[:8]}-****"
    if pnr.age_on(birth, TODAY) < 100:
        # the 10-digit form means the most recent century
        assert pnr.parse(ten, today=TODAY) == a
        assert pnr.parse(ten.replace("-", ""), today=TODAY) == a


@given(births, serials, st.integers(min_value=1, max_value=9))
def test_wrong_check_digit_is_refused_without_echoing_the_number(birth, serial, delta):
    _, twelve = build(birth, serial)
    wrong = twelve[:-1] + str((int(twelve[-1]) + delta) % 10)
    with pytest.raises(pnr.PersonnummerError) as exc:
        pnr.parse(wrong, today=TODAY)
    assert str(exc.value) == pnr.MSG_CHECKSUM
    assert wrong not in str(exc.value) and wrong[2:] not in repr(exc.value)


@given(st.from_regex(r"[0-9]{6,8}[-+]?[0-9]{3,5}", fullmatch=True))
def test_errors_never_contain_the_input(text):
    try:
        pnr.parse(text, today=TODAY)
    except pnr.PersonnummerError as exc:
        assert text not in str(exc) and text[:6] not in str(exc)


@given(births, serials)
def test_repr_and_str_are_masked(birth, serial):
    _, twelve = build(birth, serial)
    ident = pnr.parse(twelve, today=TODAY)
    assert twelve not in repr(ident) and twelve not in str(ident)


def test_plus_means_a_hundred_years_or_more():
    ten, _ = build(dt.date(1920, 3, 1), 123)
    plus = ten.replace("-", "+")
    assert pnr.parse(plus, today=TODAY).birth_date == dt.date(1920, 3, 1)
    assert pnr.parse(ten, today=TODAY).birth_date == dt.date(2020, 3, 1)
    _, young = build(dt.date(1985, 1, 1), 123)
    with pytest.raises(pnr.PersonnummerError) as exc:
        pnr.parse(young[:8] + "+" + young[8:], today=TODAY)
    assert str(exc.value) == pnr.MSG_PLUS


def test_future_date_is_refused():
    _, twelve = build(dt.date(2025, 6, 16), 123)
    with pytest.raises(pnr.PersonnummerError) as exc:
        pnr.parse(twelve, today=TODAY)
    assert str(exc.value) == pnr.MSG_FUTURE


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", pnr.MSG_EMPTY),
        ("   ", pnr.MSG_EMPTY),
        ("1985-01-01", pnr.MSG_FORMAT),
        ("19850101-12345", pnr.MSG_FORMAT),
        ("850101_1234", pnr.MSG_FORMAT),
        ("19850230-1234", pnr.MSG_DATE),
        ("19851301-1234", pnr.MSG_DATE),
        ("19850100-1234", pnr.MSG_DATE),
        ("17850101-1234", pnr.MSG_DATE),
    ],
)
def test_bad_shapes(value, message):
    with pytest.raises(pnr.PersonnummerError) as exc:
        pnr.parse(value, today=TODAY)
    assert str(exc.value) == message


def test_known_example_and_sex():
    ident = pnr.parse("811228-9874", today=TODAY)
    assert ident.normalised == "198112289874"
    assert ident.sex == "M"
    assert ident.formatted() == "19811228-9874"
    assert pnr.is_valid("19811228-9874", today=TODAY)
    assert not pnr.is_valid("19811228-9875", today=TODAY)


def test_age_on_birthday_boundaries():
    assert pnr.age_on(dt.date(2000, 2, 29), dt.date(2016, 2, 28)) == 15
    assert pnr.age_on(dt.date(2000, 2, 29), dt.date(2016, 2, 29)) == 16
    assert pnr.age_on(dt.date(2000, 3, 1), dt.date(2016, 2, 29)) == 15

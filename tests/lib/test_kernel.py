"""The shared kernel: months, Luhn, rounding, spreadsheet cells, party kinds and secrets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from cryptography.fernet import Fernet

from stegvis.associations.models import PartyKind
from stegvis.lib import crypto, luhn, parties, rounding, spreadsheet
from stegvis.lib.dates import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 11, 30), 3, dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 31), -1, dt.date(2025, 2, 28)),
        (dt.date(2025, 5, 15), -17, dt.date(2023, 12, 15)),
        (dt.date(2025, 5, 15), 12, dt.date(2026, 5, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_luhn_check_digit_of_a_personnummer_and_an_organisationsnummer():
    assert luhn.check_digit("811218987") == "6"  # Skatteverket's example 811218-9876
    assert luhn.is_valid("8112189876")
    assert not luhn.is_valid("8112189877")
    assert luhn.is_valid("2120000142")  # an organisationsnummer
    assert not luhn.is_valid("2120000143")
    assert not luhn.is_valid("21200001x2")


def test_money_ties_go_to_the_earlier_entry():
    three = [("a", Fraction(2, 3)), ("b", Fraction(2, 3)), ("c", Fraction(2, 3))]
    assert rounding.largest_remainder(2, three) == [1, 1, 0]
    assert rounding.largest_remainder(2, list(reversed(three))) == [1, 1, 0]


def test_funding_key_ties_go_by_the_key_whatever_the_order():
    three = [("b", Fraction(1, 3)), ("c", Fraction(1, 3)), ("a", Fraction(1, 3))]
    assert rounding.largest_remainder(1, three, tie_key=str) == [0, 0, 1]


def test_largest_fraction_wins_and_the_total_is_kept():
    exact = [("x", Decimal("1.2")), ("y", Decimal("2.7")), ("z", Decimal("6.1"))]
    assert rounding.largest_remainder(10, exact) == [1, 3, 6]


def test_amounts_that_do_not_add_up_are_refused():
    with pytest.raises(rounding.RoundingError):
        rounding.largest_remainder(5, [("a", Fraction(1)), ("b", Fraction(1))])


@pytest.mark.parametrize("text", ["=SUM(A1)", "+46", "-1", "@cmd", "\tx", "\rx"])
def test_formula_like_text_is_escaped(text):
    assert spreadsheet.escape(text) == "'" + text
    assert spreadsheet.cell(text) == "'" + text


def test_numbers_stay_numbers_in_xlsx_and_become_text_in_csv():
    assert spreadsheet.escape(-5) == -5
    assert spreadsheet.cell(-5) == "'-5"
    assert spreadsheet.cell(None) == ""
    assert spreadsheet.cell("Stegvis") == "Stegvis"


def test_party_kinds_are_the_stored_values():
    assert set(parties.KINDS) == set(PartyKind.values)


def test_secrets_round_trip_rotate_and_index(settings):
    token = crypto.encrypt("åsa@example.se")
    assert crypto.decrypt(token) == "åsa@example.se"
    assert crypto.encrypt("åsa@example.se") != token
    new = Fernet.generate_key().decode()
    settings.STEGVIS_IDENTITY_KEYS = [new, *settings.STEGVIS_IDENTITY_KEYS]
    rotated = crypto.rotate(token)
    settings.STEGVIS_IDENTITY_KEYS = [new]
    assert crypto.decrypt(rotated) == "åsa@example.se"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)
    assert crypto.blind_index("197001011234") == crypto.blind_index("197001011234")
    assert len(crypto.blind_index("197001011234")) == 64

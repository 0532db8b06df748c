"""The shared pure input rules: plausible dates and personnummer in free text."""

from __future__ import annotations

import datetime as dt

import pytest

from stegvis.lib import dates, freetext

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (dt.date(2004, 1, 1), True),
        (dt.date(2003, 12, 31), False),
        (dt.date(1800, 1, 1), False),
        (dt.date(2027, 11, 24), True),
        (dt.date(2027, 11, 25), False),
        (None, True),
    ],
)
def test_plausible_dates(day, ok):
    assert (dates.date_problem("Startdatum", day, today=TODAY) is None) is ok


def test_a_year_after_29_february_is_28_february():
    assert dates.latest(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_date_messages_name_the_field_and_the_limit():
    assert dates.date_problem("Slutdatum", dt.date(2030, 1, 1), today=TODAY) == (
        "Slutdatum: datumet kan inte ligga mer än ett år fram i tiden (senast 2027-11-24)."
    )
    assert dates.year_problem("År", 2003, today=TODAY) == (
        "År: året kan inte vara före 2004, då Finsam började."
    )
    assert dates.year_problem("År", 2027, today=TODAY) is None
    assert dates.year_problem("År", 2028, today=TODAY)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ring 0701234567", False),  # phone number: check digit does not match
        ("Org.nr 556677-8899", False),  # organisationsnummer: month 66
        ("Gäller 19730610-7405", True),
        ("730610-7405", True),
        ("197306107405", True),
        ("19730610 7405", True),
        ("730670-7402", True),  # samordningsnummer (day + 60)
        ("19730610-7404", False),  # wrong check digit
        ("Budget 2024: 1 500 000 kr", False),
        ("", False),
    ],
)
def test_personnummer_in_text(text, found):
    assert freetext.contains_personnummer(text, today=TODAY) is found


def test_free_text_message_never_repeats_the_number():
    message = freetext.text_problem("Namn", "Insats 19730610-7405", today=TODAY)
    assert message is not None and message.startswith("Namn: texten ser ut")
    assert "7405" not in message

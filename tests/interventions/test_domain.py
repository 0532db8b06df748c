"""The pure rules: parties, dates, immutable fields, money and counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stegvis.interventions import domain

TODAY = dt.date(2026, 11, 24)


def test_two_kommuner_are_one_party():
    errors = domain.party_errors(["KOMMUN", "KOMMUN"])
    assert [e.field for e in errors] == ["parties"]
    assert "Flera kommuner räknas som en part" in errors[0].message


def test_fk_and_af_are_different_parties():
    assert domain.party_errors(["FK", "AF"]) == []


def test_one_party_alone_is_refused():
    assert domain.party_errors(["REGION"])
    assert domain.party_errors([])


def test_kommun_and_region_are_two_parties():
    assert domain.party_errors(["KOMMUN", "KOMMUN", "REGION"]) == []


def test_end_before_start_is_refused():
    errors = domain.date_errors(dt.date(2024, 5, 1), dt.date(2024, 4, 30), today=TODAY)
    assert [e.field for e in errors] == ["end_date"]
    assert "före startdatum" in errors[0].message


def test_same_day_and_open_end_are_fine():
    assert domain.date_errors(dt.date(2024, 5, 1), dt.date(2024, 5, 1), today=TODAY) == []
    assert domain.date_errors(dt.date(2024, 5, 1), None, today=TODAY) == []


def test_missing_start_is_refused():
    assert [e.field for e in domain.date_errors(None, None, today=TODAY)] == ["start_date"]


def test_immutable_fields_refused_with_reason():
    current = {"orientation": "individual", "follow_up_method": "identified", "esf_cofunded": False}
    errors = domain.immutable_errors(
        current, {"orientation": "structural", "follow_up_method": "volume", "esf_cofunded": True}
    )
    assert {e.field for e in errors} == {"orientation", "follow_up_method", "esf_cofunded"}
    assert all("kan inte ändras" in e.message for e in errors)


def test_unchanged_immutable_values_are_accepted():
    current = {"orientation": "individual", "follow_up_method": "identified", "esf_cofunded": False}
    assert domain.immutable_errors(current, dict(current)) == []
    assert domain.immutable_errors(current, {"name": "x"}) == []


def test_year_within_running_time():
    start, end = dt.date(2024, 3, 1), dt.date(2025, 6, 30)
    assert domain.year_errors(2024, start, end, today=TODAY) == []
    assert domain.year_errors(2025, start, end, today=TODAY) == []
    assert domain.year_errors(2023, start, end, today=TODAY)
    assert domain.year_errors(2026, start, end, today=TODAY)
    assert domain.year_errors(2027, start, None, today=TODAY) == []


def test_implausible_years_are_refused():
    start = dt.date(2004, 1, 1)
    too_late = domain.year_errors(2040, start, None, today=TODAY)
    assert [e.message for e in too_late] == [
        "År: året kan inte ligga mer än ett år fram i tiden (senast 2027)."
    ]
    too_early = domain.year_errors(2003, dt.date(2004, 1, 1), None, today=TODAY)
    assert too_early[0].message == "År: året kan inte vara före 2004, då Finsam började."


def test_implausible_dates_are_refused():
    errors = domain.date_errors(dt.date(1800, 1, 1), dt.date(2030, 1, 1), today=TODAY)
    assert [(e.field, e.message) for e in errors] == [
        ("start_date", "Startdatum: datumet kan inte vara före 2004-01-01, då Finsam började."),
        ("end_date", "Slutdatum: datumet kan inte ligga mer än ett år fram i tiden "
                     "(senast 2027-11-24)."),
    ]
    assert domain.date_errors(dt.date(2004, 1, 1), dt.date(2027, 11, 24), today=TODAY) == []


def test_personnummer_in_free_text_is_refused_other_numbers_are_not():
    texts = {"name": ("Namn", "Insats för 19730610-7405"),
             "description": ("Beskrivning", "Ring 0701234567 eller 556677-8899")}
    errors = domain.text_errors(texts, today=TODAY)
    assert [e.field for e in errors] == ["name"]
    assert errors[0].message.startswith("Namn: texten ser ut att innehålla ett personnummer")
    assert "7405" not in errors[0].message


def test_money_whole_kronor_not_negative():
    assert domain.money_errors("b", "Budget", Decimal("100"), required=True) == []
    assert domain.money_errors("b", "Budget", Decimal("100.50"), required=True)
    assert domain.money_errors("b", "Budget", -1, required=True)
    assert domain.money_errors("b", "Budget", None, required=True)
    assert domain.money_errors("b", "Budget", None, required=False) == []


def test_volume_women_and_men_cannot_exceed_total():
    d = dt.date(2024, 1, 1)
    assert domain.volume_errors(d, d, 10, 4, 6, today=TODAY) == []
    assert [e.field for e in domain.volume_errors(d, d, 10, 6, 6, today=TODAY)] == ["total"]
    before = d - dt.timedelta(days=1)
    errors = domain.volume_errors(d, before, 1, None, None, today=TODAY)
    assert [e.field for e in errors] == ["period_end"]

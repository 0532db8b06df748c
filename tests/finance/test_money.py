"""Contribution split, rounding and outcome figures (pure rules)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stegvis.finance import money
from stegvis.finance.money import Party, split_contributions

FK = Party("fk", "Försäkringskassan", "FK")


def test_split_by_law_with_rounding_shown():
    split = split_contributions(
        1_000_001,
        fk=FK,
        regions=[Party("r", "Region", "REGION")],
        kommuner=[
            Party("k1", "Kommun 1", "KOMMUN", Decimal("33.3333")),
            Party("k2", "Kommun 2", "KOMMUN", Decimal("33.3333")),
            Party("k3", "Kommun 3", "KOMMUN", Decimal("33.3334")),
        ],
    )
    amounts = {r.key: r.amount for r in split.rows}
    # 1 000 001 / 2 = 500 000,5 → FK gets the extra krona (largest remainder, earliest first)
    assert split.parts == {"FK": 500_001, "REGION": 250_000, "KOMMUN": 250_000}
    assert amounts["fk"] == 500_001
    assert amounts["r"] == 250_000
    assert amounts["k1"] + amounts["k2"] + amounts["k3"] == 250_000
    assert amounts == {"fk": 500_001, "r": 250_000, "k1": 83_333, "k2": 83_333, "k3": 83_334}
    assert split.total == 1_000_001
    fk_row = split.rows[0]
    assert fk_row.exact == Fraction(1_000_001, 2)
    assert fk_row.difference == Fraction(1, 2)


def test_without_region_the_kommuner_carry_half():
    split = split_contributions(
        1000, fk=FK, regions=[], kommuner=[Party("g", "Gotland", "KOMMUN", Decimal(100))]
    )
    assert [(r.key, r.amount, r.part_pct) for r in split.rows] == [
        ("fk", 500, Decimal(50)),
        ("g", 500, Decimal(50)),
    ]


def test_several_regions_split_by_their_key():
    split = split_contributions(
        4000,
        fk=FK,
        regions=[Party("r1", "R1", "REGION", Decimal(75)), Party("r2", "R2", "REGION",
                                                                  Decimal(25))],
        kommuner=[Party("k", "K", "KOMMUN")],
    )
    amounts = {r.key: r.amount for r in split.rows}
    assert amounts == {"fk": 2000, "r1": 750, "r2": 250, "k": 1000}


def test_key_not_covering_a_kommun_is_refused():
    with pytest.raises(money.MoneyError) as info:
        split_contributions(
            1000,
            fk=FK,
            regions=[Party("r", "Region", "REGION")],
            kommuner=[Party("a", "Alfa kommun", "KOMMUN", Decimal(100)),
                      Party("b", "Beta kommun", "KOMMUN", None)],
        )
    assert "Beta kommun saknar andel i fördelningsnyckeln." in info.value.messages


def test_negative_frame_refused():
    with pytest.raises(money.MoneyError, match="negativ"):
        split_contributions(-1, fk=FK, regions=[], kommuner=[Party("k", "K", "KOMMUN")])


@given(
    frame=st.integers(min_value=0, max_value=10**11),
    shares=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(
        lambda s: sum(s) > 0
    ),
    regions=st.integers(min_value=0, max_value=3),
)
def test_contribution_shares_always_sum_to_the_frame(frame, shares, regions):
    split = split_contributions(
        frame,
        fk=FK,
        regions=[Party(f"r{i}", f"R{i}", "REGION", Decimal(1)) for i in range(regions)],
        kommuner=[Party(i, f"K{i}", "KOMMUN", Decimal(s)) for i, s in enumerate(shares)],
    )
    assert split.total == frame
    assert all(abs(r.difference) < 1 for r in split.rows)
    assert all(r.amount >= 0 for r in split.rows)


def test_largest_remainder_is_deterministic_on_ties():
    rows = money.largest_remainder(2, [("a", 1), ("b", 1), ("c", 1)])
    assert [r.amount for r in rows] == [1, 1, 0]


def test_equity_and_utilisation():
    assert money.closing_equity(opening=100, contributions=1000, other_income=50,
                                costs=900) == 250
    assert money.utilisation(costs=900, available=1150) == Decimal("78.3")
    assert money.utilisation(costs=0, available=0) is None
    steps = ((0, Decimal(30)), (5_000_000, Decimal(20)), (10_000_000, Decimal(15)))
    assert money.equity_limit(steps, 4_999_999) == Decimal(30)
    assert money.equity_limit(steps, 5_000_000) == Decimal(20)
    assert money.equity_limit(steps, 12_000_000) == Decimal(15)
    assert money.within_scale(Decimal(20), Decimal(20))
    assert not money.within_scale(Decimal("20.1"), Decimal(20))
    assert money.within_scale(None, Decimal(20))

"""Pure modules: suppression (with property tests), periods, age groups, tables."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stegvis.indicators import maths, periods, protection, tables
from stegvis.indicators.periods import PeriodError
from stegvis.indicators.protection import Relation
from stegvis.participants import fact_rules

T = 5


def grid_relations(rows: int, cols: int):
    """Cells (r, c) with row totals at column ``cols``, column totals at row ``rows``."""
    groups = []
    for r in range(rows + 1):
        groups.append(Relation((r, cols), tuple((r, c) for c in range(cols))))
    for c in range(cols + 1):
        groups.append(Relation((rows, c), tuple((r, c) for r in range(rows))))
    return groups


def grid_values(inner: list[list[int]]):
    rows, cols = len(inner), len(inner[0])
    values = {}
    for r in range(rows):
        for c in range(cols):
            values[(r, c)] = inner[r][c]
        values[(r, cols)] = sum(inner[r])
    for c in range(cols + 1):
        values[(rows, c)] = sum(values[(r, c)] for r in range(rows))
    return values


small_counts = st.one_of(st.integers(0, 6), st.integers(0, 200))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(st.lists(small_counts, min_size=cols, max_size=cols),
                              min_size=1, max_size=6)
    ),
    st.integers(2, 10),
)
def test_no_suppressed_cell_recoverable_and_no_small_count_shown(inner, threshold):
    values = grid_values(inner)
    groups = grid_relations(len(inner), len(inner[0]))
    hidden = protection.protect(values, groups, threshold)
    # No visible count in 1..threshold-1.
    for key, value in values.items():
        if key not in hidden:
            assert not 1 <= value < threshold, (key, value)
    # No hidden cell recoverable by subtraction from any row or column total.
    for rel in groups:
        unknown = [k for k in rel.members if k in hidden]
        assert len(unknown) != 1 or values[unknown[0]] == 0, (rel, unknown)
    # Nor by any combination of them.
    assert not {k for k in protection.determined(groups, hidden) if 1 <= values[k] < threshold}


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30))
def test_kmt_triple_counts_as_a_row(k, m):
    values = {"K": k, "M": m, "T": k + m}
    hidden = protection.protect(values, [Relation("T", ("K", "M"))], T)
    assert len([x for x in values if x in hidden]) != 1
    for key in values:
        if key not in hidden:
            assert not 1 <= values[key] < T


def test_secondary_picks_next_smallest_nonzero():
    values = {"a": 3, "b": 0, "c": 7, "d": 9, "t": 19}
    hidden = protection.protect(values, [Relation("t", ("a", "b", "c", "d"))], T)
    assert hidden == {"a", "c"}


def test_rates():
    assert protection.rate_suppressed(10, 4, T)  # denominator below threshold
    assert protection.rate_suppressed(2, 40, T)  # small numerator
    assert not protection.rate_suppressed(0, 40, T)
    assert not protection.rate_suppressed(6, 40, T)
    assert not protection.rate_suppressed(0, 0, T)  # no one: no rate, nothing to hide


def test_determined_finds_a_bridge_that_single_subtractions_miss():
    """Two hidden 2x2 blocks joined by one hidden cell: every row and column has two hidden
    cells, yet the joining cell follows from combining the totals."""
    # Grid 4x4 inner; hidden: block (0,0),(0,1),(1,0),(1,1); block (2,2),(2,3),(3,2),(3,3);
    # and the bridge (1,2) makes row 1 and column 2 have three hidden cells.
    inner = [[20, 20, 30, 30], [20, 20, 3, 30], [30, 30, 20, 20], [30, 30, 20, 20]]
    values = grid_values(inner)
    groups = grid_relations(4, 4)
    naive = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    for rel in groups:
        assert len([k for k in rel.members if k in naive]) != 1
    assert (1, 2) in protection.determined(groups, naive)
    hidden = protection.protect(values, groups, T)
    assert (1, 2) in hidden
    assert (1, 2) not in protection.determined(groups, hidden)


def test_table_finalise_hides_rate_whose_numerator_triple_leaks():
    table = tables.Table(key="t", caption="c", row_header="r", columns=tables.kmt_columns(),
                         triples=tables.kmt_triples(1))
    table.rows.append(tables.Row("rate", [tables.rate_cell(3, 20), tables.rate_cell(10, 20),
                                          tables.rate_cell(13, 40)]))
    tables.protect_tables([table], [], T)
    assert [c.suppressed for c in table.rows[0].cells] == [True, True, False]
    assert table.as_dict()["rows"][0]["cells"][0] == {
        "kind": "rate", "value": None, "suppressed": True
    }
    assert table.display_rows()[0]["cells"][0]["text"] == ".."
    assert table.display_rows()[0]["cells"][0]["label"] == "dold uppgift"
    assert table.legend()[0].startswith(".. = uppgiften visas inte för att skydda enskilda")


@pytest.mark.parametrize(
    ("kwargs", "start", "end"),
    [
        ({"period": "2024"}, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ({"period": "2024-Q2"}, dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ({"period": "2024-q4"}, dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
        ({"start": "2024-02-03", "end": "2024-02-03"}, dt.date(2024, 2, 3), dt.date(2024, 2, 3)),
    ],
)
def test_parse_period(kwargs, start, end):
    p = periods.parse_period(**kwargs)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"start": "2024-05-01", "end": "2024-04-30"}, "to", "före startdatumet"),
        ({"start": "2024-13-01", "end": "2024-12-31"}, "from", "kunde inte tolkas"),
        ({"start": "igår", "end": "2024-12-31"}, "from", "kunde inte tolkas"),
        ({"start": "2010-01-01", "end": "2020-01-01"}, "to", "högst 10 år"),
        ({"period": "2024-Q5"}, "period", "ange ett år"),
        ({"start": "2024-01-01"}, "from", "både från- och till-datum"),
    ],
)
def test_bad_periods_have_swedish_errors(kwargs, field, fragment):
    with pytest.raises(PeriodError) as exc:
        periods.parse_period(**kwargs)
    assert exc.value.field == field
    assert fragment in exc.value.message


def test_ten_years_is_allowed_but_not_more():
    assert periods.parse_period(start="2010-01-01", end="2019-12-31").years == range(2010, 2020)


@pytest.mark.parametrize(
    ("age", "group"),
    [(None, "unknown"), (15, "under_16"), (16, "16_19"), (19, "16_19"), (20, "20_24"),
     (29, "25_29"), (30, "30_39"), (59, "50_59"), (64, "60_64"), (65, "65_plus"), (67, "65_plus")],
)
def test_age_groups(age, group):
    assert fact_rules.age_group(age) == group


def test_young_band_expands():
    assert periods.expand_age_filter("unga_16_29") == ("16_19", "20_24", "25_29")
    with pytest.raises(PeriodError):
        periods.expand_age_filter("tonåring")


def test_reference_maths_over_facts():
    mf = fact_rules.measurement_facts
    facts = [
        maths.Fact("K", dt.date(2024, 1, 1), dt.date(2024, 3, 1), person=1,
                   start=mf([("other", 50)], [("fsd", True)], 1),
                   end=mf([("work", 50), ("studies", 25)], [("lon", False)], 3)),
        maths.Fact("M", dt.date(2024, 2, 1), None, person=2),
        maths.Fact("M", dt.date(2024, 2, 1), dt.date(2024, 2, 2), is_error=True),
    ]
    out = maths.headline_from_facts(facts, dt.date(2024, 1, 1), dt.date(2024, 12, 31),
                                    dt.date(2025, 1, 1))
    assert out[("participants_active", "T")].value == 2
    assert out[("work_or_studies_after", "K")].value == 1.0
    assert out[("started_or_increased_extent", "T")].numerator == 1  # 0 → 75
    assert out[("median_days_in_intervention", "T")].value == 60
    assert fact_rules.join_keys(["b", "a", "a"]) == ",a,b,"

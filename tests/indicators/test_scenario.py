"""Every headline indicator and every transition-matrix cell of the scenario, by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from stegvis.indicators import periods, reports, selectors
from stegvis.indicators.selectors import NO_PUBLIC, Filters
from stegvis.participants.models import ParticipationFact

pytestmark = pytest.mark.django_db

Y2024 = periods.year_period(2024)


def query(user, association_ids=(), **filters):
    return selectors.resolve_query(
        user=user, period=Y2024, association_ids=association_ids, filters=Filters(**filters)
    )


def values(figures):
    """{key: (K, M, T)} with (numerator, denominator) for rates and plain values for counts."""
    out = {}
    for (key, sex), fig in figures.items():
        out.setdefault(key, {})[sex] = fig
    return out


# Durations of the outcome cohort in days (end - start), computed from the scenario's dates.
D1 = (dt.date(2024, 2, 15) - dt.date(2023, 3, 1)).days  # K
D2 = (dt.date(2024, 6, 30) - dt.date(2024, 1, 10)).days  # K
D7 = (dt.date(2024, 11, 30) - dt.date(2024, 5, 5)).days  # K
D3 = (dt.date(2024, 10, 31) - dt.date(2024, 2, 1)).days  # M
D9 = (dt.date(2024, 3, 31) - dt.date(2023, 11, 1)).days  # M

EXPECTED_COUNTS = {
    # P1, P2, P5, P7, P10 | P3, P4, P9 (P6 ended 2023, P8 felregistrering, P11 withdrawn)
    "participants_active": (5, 3, 8),
    # P1 and P10 are the same person.
    "persons_active": (4, 3, 7),
    "participants_started": (4, 2, 6),  # P2, P5, P7, P10 | P3, P4
    "participants_ended": (3, 2, 5),  # P1, P2, P7 | P3, P9
    "anonymous_started": (4, 2, 6),  # 3 + withdrawn P11 | 2
    "volume_count": (25, 15, 40),  # only the period inside 2024
}
EXPECTED_RATES = {
    # (numerator, denominator) for K, M, T; the cohort is P1, P2, P7 | P3, P9.
    "work_or_studies_before": ((1, 3), (0, 2), (1, 5)),  # P7 (arbete med stöd)
    "work_or_studies_after": ((3, 3), (0, 2), (3, 5)),
    "no_public_support_before": ((0, 3), (0, 2), (0, 5)),
    "no_public_support_after": ((1, 3), (1, 2), (2, 5)),  # P1 lön | P9 ingen ersättning
    "started_or_increased_extent": ((3, 3), (0, 2), (3, 5)),  # 0→100, 0→50, 25→50
    "step_progress": ((2, 3), (0, 2), (2, 5)),  # P1 1→6, P2 0→4
    # 3 months: P1 (made), P2 (made) | P9 (missing); P3 no consent, P7 due 2025.
    "followup_3m_response": ((2, 2), (0, 1), (2, 3)),
    "followup_3m_work_or_studies": ((2, 2), (0, 0), (2, 2)),
    "followup_3m_no_public_support": ((2, 2), (0, 0), (2, 2)),
    # 6 months: P1 (made), P2 (due 2024-12-30, missing) | P9 (made).
    "followup_6m_response": ((1, 2), (1, 1), (2, 3)),
    "followup_6m_work_or_studies": ((0, 1), (0, 1), (0, 2)),
    "followup_6m_no_public_support": ((0, 1), (0, 1), (0, 2)),
    # 12 months: only P6 (ended 2023-06-30).
    "followup_12m_response": ((0, 0), (1, 1), (1, 1)),
    "followup_12m_work_or_studies": ((0, 0), (1, 1), (1, 1)),
    "followup_12m_no_public_support": ((0, 0), (1, 1), (1, 1)),
}


def test_facts_exclude_withdrawn_and_keep_error_flag(scenario):
    assert not ParticipationFact.objects.filter(participation=scenario.p["P11"]).exists()
    assert ParticipationFact.objects.get(participation=scenario.p["P8"]).is_error


def test_every_headline_indicator_by_hand(scenario):
    user = scenario.personas.reader_a
    figs = values(selectors.headline(user=user, query=query(user)))
    for key, expected in EXPECTED_COUNTS.items():
        assert tuple(figs[key][s].value for s in "KMT") == expected, key
    for key, expected in EXPECTED_RATES.items():
        got = tuple((figs[key][s].numerator, figs[key][s].denominator) for s in "KMT")
        assert got == expected, key
        for s, (num, den) in zip("KMT", expected, strict=True):
            assert figs[key][s].value == (num / den if den else None)
    median = figs["median_days_in_intervention"]
    assert median["K"].value == sorted([D1, D2, D7])[1]
    assert median["M"].value == (D3 + D9) / 2
    assert median["T"].value == sorted([D1, D2, D7, D3, D9])[2]
    # 1 000 000 kr actual in 2024 / (8 active identified + 6 anonymous).
    assert figs["cost_per_participant"]["T"].value == pytest.approx(1_000_000 / 14)
    assert figs["cost_per_participant"]["K"].value is None


def test_every_transition_matrix_cell_by_hand(scenario):
    user = scenario.personas.reader_a
    keys = [c.key for c in selectors.codes("income_source")] + [NO_PUBLIC]
    data = selectors.transition_matrix(user=user, query=query(user), keys=keys)
    # Cohort: P1 K {sjukpenning}→{lön}; P2 K {fsd}→{fsd, studiemedel};
    # P7 K {sjukpenning, annan}→{sjukpenning}; P3 M {a-kassa}→{a-kassa};
    # P9 M {sjukpenning}→{ingen ersättning}. "No public support" at end: P1, P9.
    nonzero = {
        "K": {
            ("sjukpenning", "lon_eget_foretag"): 1,
            ("sjukpenning", NO_PUBLIC): 1,
            ("sjukpenning", "sjukpenning"): 1,
            ("forsorjningsstod", "forsorjningsstod"): 1,
            ("forsorjningsstod", "studiemedel"): 1,
            ("annan_ersattning", "sjukpenning"): 1,
        },
        "M": {
            ("sjukpenning", NO_PUBLIC): 1,
            ("sjukpenning", "ingen_ersattning"): 1,
            ("a_kassa", "a_kassa"): 1,
        },
    }
    nonzero["T"] = {}
    for s in "KM":
        for cell, n in nonzero[s].items():
            nonzero["T"][cell] = nonzero["T"].get(cell, 0) + n
    for s in "KMT":
        for i, x in enumerate(keys):
            for j, y in enumerate(keys):
                got = data.get((s,), {}).get(f"x{i}_{j}", 0)
                assert got == nonzero[s].get((x, y), 0), (s, x, y)


def test_reports_build_with_threshold_one_show_exact_values(scenario, settings):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1
    user = scenario.personas.reader_a
    q = query(user)
    std = reports.build("standard", user=user, query=q)
    activity = {row.key: [c.value for c in row.cells] for row in std.tables[0].rows}
    # before K/M/T then after K/M/T, counted per headline category in the cohort.
    assert activity["work"] == [1, 0, 1, 2, 0, 2]  # P7 | P1, P7
    assert activity["studies"] == [0, 0, 0, 1, 0, 1]
    assert activity["job_seeking"] == [0, 1, 1, 0, 1, 1]
    assert activity["other"] == [3, 1, 4, 0, 1, 1]
    for name in reports.REPORTS:
        report = reports.build(name, user=user, query=q)
        assert report.tables and not any(
            c.suppressed for t in report.tables for r in t.rows for c in r.cells
        )
    exits = reports.build("deltagare", user=user, query=q).tables[-1]
    by_key = {row.key: [c.value for c in row.cells] for row in exits.rows}
    assert by_key["arbete"] == [1, 0, 1]
    assert by_key["total"] == [3, 2, 5]
    coverage = reports.build("tackning", user=user, query=q).tables[0]
    rows = {row.key: row for row in coverage.rows}
    # Active by residence: P2 lives in 0136, the rest of A's active in 0180.
    assert [c.value for c in rows["0136"].cells[:3]] == [1, 0, 1]
    assert [c.value for c in rows["0180"].cells[:3]] == [4, 3, 7]
    assert "1480" not in rows


def test_filters_narrow_the_figures(scenario):
    user = scenario.personas.reader_a
    women = values(selectors.headline(user=user, query=query(user, sex="K")))
    assert women["participants_active"]["T"].value == 5
    assert women["participants_active"]["M"].value == 0
    nyanlanda = values(selectors.headline(user=user, query=query(user, target_group="nyanlanda")))
    assert nyanlanda["participants_active"]["T"].value == 1  # P10 in I2
    in_0136 = values(selectors.headline(user=user, query=query(user, kommun="0136")))
    assert in_0136["participants_active"]["T"].value == 1
    young = values(selectors.headline(
        user=user, query=query(user, age_groups=periods.expand_age_filter("unga_16_29"))
    ))
    # P2 (25) and P5 (22) are 16–29 at start.
    assert young["participants_active"]["T"].value == 2


def test_default_threshold_suppresses_small_cells(scenario):
    user = scenario.personas.reader_a
    report = reports.build("indikatorer", user=user, query=query(user))
    rows = {row.key: row for row in report.tables[0].rows}
    active = rows["participants_active"].cells
    # 5 K shown; 3 M hidden; T = 8 would reveal M, so K is hidden too (secondary).
    assert [c.suppressed for c in active] == [True, True, False]
    assert report.threshold == 5
    # One neutral mark for every hidden cell, also for K = 5 (hidden only to protect M).
    assert [c["text"] for c in report.tables[0].display_rows()[0]["cells"][:2]] == ["..", ".."]

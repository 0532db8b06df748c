"""Honest figures, outputs that say what they show, and bad input (issue 8)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from openpyxl import load_workbook

from stegvis.associations import services as association_services
from stegvis.associations.models import AreaPart
from stegvis.indicators import charts, maths, periods, reports, selectors
from stegvis.indicators.selectors import Filters
from stegvis.interventions.models import BudgetLine, InterventionYear
from stegvis.reference.models import Municipality

pytestmark = pytest.mark.django_db

Y2024 = periods.year_period(2024)
Q2 = periods.parse_period(period="2024-Q2")


def query(user, period=Y2024, association_ids=(), intervention_ids=(), **filters):
    return selectors.resolve_query(user=user, period=period, association_ids=association_ids,
                                   intervention_ids=intervention_ids, filters=Filters(**filters))


def row(report, table_key, row_key):
    table = next(t for t in report.tables if t.key == table_key)
    return next(r for r in table.rows if r.key == row_key)


# --- honest figures ----------------------------------------------------------------------------


def test_anonymous_started_only_for_whole_calendar_years(scenario, client_for):
    user = scenario.personas.reader_a
    year = reports.build("indikatorer", user=user, query=query(user))
    assert [c.value for c in row(year, "headline", "anonymous_started").cells] == [4, 2, 6]
    quarter = reports.bundle(user=user, query=query(user, period=Q2))
    cells = row(quarter.reports["indikatorer"], "headline", "anonymous_started").cells
    assert [(c.value, c.suppressed, c.display()) for c in cells] == [(None, False, "–")] * 3
    assert "– = räknas per kalenderår" in quarter.reports["indikatorer"].tables[0].legend()
    # The Insatsrapport never shows a whole year's anonymous count beside a quarter either.
    ins = row(quarter.reports["insatser"], "interventions", str(scenario.i1.pk)).cells
    assert all(c.value is None and c.reason == maths.REASON_CALENDAR_YEAR for c in ins[12:15])
    r = client_for(user).get("/api/v1/indicators", {"from": "2024-04-01", "to": "2024-06-30"})
    item = next(i for i in r.json()["indicators"]
                if i["key"] == "anonymous_started" and i["sex"] == "T")
    assert (item["value"], item["suppressed"], item["reason"]) == (
        None, False, "räknas per kalenderår")


def test_cost_per_participant_t_only_filters_and_preliminary(scenario, client_for):
    user = scenario.personas.reader_a
    head = reports.build("indikatorer", user=user, query=query(user))
    k, m, t = row(head, "headline", "cost_per_participant").cells
    assert (k.value, k.suppressed, k.reason) == (None, False, maths.REASON_COST_SEX)
    assert m.reason == maths.REASON_COST_SEX
    # 1 000 000 kr / (8 active + 6 anonymous); 2024 is over and every utfall is entered.
    assert t.value == round(1_000_000 / 14) and not t.preliminary and not t.suppressed
    for filters in ({"sex": "K"}, {"kommun": "0180"},
                    {"age_groups": periods.expand_age_filter("unga_16_29")}):
        cell = row(reports.build("indikatorer", user=user, query=query(user, **filters)),
                   "headline", "cost_per_participant").cells[2]
        assert (cell.value, cell.suppressed, cell.reason) == (
            None, False, maths.REASON_COST_FILTER), filters
    # A budget line without utfall: the year's outcome is not closed → preliminär.
    year = InterventionYear.objects.get(intervention=scenario.i1, year=2024)
    BudgetLine.objects.create(intervention_year=year, kind="lokalkostnad", budget=1000)
    cell = row(reports.build("indikatorer", user=user, query=query(user)), "headline",
               "cost_per_participant").cells[2]
    assert cell.preliminary and "(preliminär)" in cell.display()
    r = client_for(user).get("/api/v1/indicators", {"from": "2024-01-01", "to": "2024-12-31"})
    items = {(i["key"], i["sex"]): i for i in r.json()["indicators"]}
    assert items[("cost_per_participant", "T")]["preliminary"] is True
    assert items[("cost_per_participant", "K")] == {
        "key": "cost_per_participant", "sex": "K", "value": None, "numerator": None,
        "denominator": None, "suppressed": False, "reason": maths.REASON_COST_SEX,
        "preliminary": False,
    }


def test_cost_per_participant_hidden_with_its_small_denominator(scenario):
    """Unga vuxna: 200 000 kr for 1 participant — kr/deltagare would give the 1 back."""
    user = scenario.personas.reader_a
    b = reports.bundle(user=user, query=query(user, intervention_ids=[scenario.i2.pk]))
    cpp = row(b.reports["kostnader"], "cost_per_participant", "cost_per_participant").cells[0]
    assert cpp.denominator == 1 and cpp.suppressed and cpp.display() == ".."
    cost_row = row(b.reports["kostnader"], "costs", f"{scenario.i2.pk}:2024").cells
    assert cost_row[2].value == 200_000 and not cost_row[2].suppressed  # utfall is public
    assert cost_row[5].suppressed and cost_row[6].suppressed  # participants and kr/deltagare
    assert row(b.reports["indikatorer"], "headline", "cost_per_participant").cells[2].suppressed


def test_issue_example_kostnadsrapport_cannot_reveal_the_hidden_anonymous(scenario, settings):
    """Insatsrapport identified and Kostnadsrapport participants of the same insats and year
    never leave a hidden anonymous count as their difference."""
    user = scenario.personas.reader_a
    b = reports.bundle(user=user, query=query(user))
    ins = row(b.reports["insatser"], "interventions", str(scenario.i1.pk)).cells
    cost = row(b.reports["kostnader"], "costs", f"{scenario.i1.pk}:2024").cells
    for s in range(3):
        identified, anonymous, participants = ins[9 + s], ins[12 + s], cost[3 + s]
        if anonymous.suppressed and 1 <= anonymous.value < 5:
            assert identified.suppressed or participants.suppressed
    volume = ins[15]
    assert volume.value == 0 or not 1 <= volume.value < 5 or volume.suppressed


def test_coverage_lists_every_kommun_and_uses_district_population(scenario, client_for):
    p = scenario.personas
    AreaPart.objects.create(association=p.a, municipality=Municipality.objects.get(code="0980"))
    user = p.reader_a
    cov = reports.build("tackning", user=user, query=query(user))
    gotland = row(cov, "coverage", "0980").cells
    assert [c.value for c in gotland[:3]] == [0, 0, 0]
    assert gotland[5].value == 0.0 and not gotland[5].suppressed
    assert cov.tables[0].chart_column == 5
    labels, series, unit = charts._series(cov.tables[0])
    # The chart shows coverage in percent, not counts.
    assert unit == "rate" and series["T"][labels.index("Gotland")] == 0.0
    # Göteborg only through a district: never measured against all of Göteborg.
    AreaPart.objects.filter(association=p.b, municipality_id="1480").update(district="Nordost")
    reader_b = p.admin_b
    cells = row(reports.build("tackning", user=reader_b, query=query(reader_b)), "coverage",
                "1480").cells
    assert (cells[3].value, cells[4].value, cells[5].value) == (None, None, None)
    assert cells[5].reason == maths.REASON_DISTRICT
    part = AreaPart.objects.get(association=p.b, municipality_id="1480")
    association_services.district_population_set(
        actor=p.admin_b, association=p.b, populations={part.pk: 40_000})
    t = reports.build("tackning", user=reader_b, query=query(reader_b)).tables[0]
    cells = next(r for r in t.rows if r.key == "1480").cells
    assert (cells[3].value, cells[4].value) == (40_000, 2_000)
    assert cells[5].numerator == 1 and cells[5].suppressed  # 1 participant: hidden
    assert "kommundelar" in next(r for r in t.rows if r.key == "1480").header


def test_district_population_page(scenario, client_for):
    p = scenario.personas
    AreaPart.objects.filter(association=p.a, municipality_id="0180").update(district="Söder")
    part = AreaPart.objects.get(association=p.a, municipality_id="0180")
    c = client_for(p.admin_a)
    assert "kommundelar/befolkning" in c.get(f"/forbund/{p.a.pk}/").content.decode()
    url = f"/forbund/{p.a.pk}/kommundelar/befolkning/"
    r = c.post(url, {f"part_{part.pk}": "-4"})
    assert r.status_code == 200 and 'class="error-summary"' in r.content.decode()
    r = c.post(url, {f"part_{part.pk}": "12345"})
    assert r.status_code == 302
    part.refresh_from_db()
    assert part.district_population == 12345
    assert client_for(p.admin_b).get(url).status_code == 404


# --- every output says what it shows -----------------------------------------------------------


def test_report_page_and_exports_state_scope_period_and_every_filter(scenario, client_for):
    p = scenario.personas
    c = client_for(p.reader_a)
    params = {"period": "2024", "sex": "K", "kommun": "0180", "target_group": "psykisk_ohalsa",
              "intervention": scenario.i1.pk}
    html = c.get("/rapporter/insatser/", params).content.decode()
    for text in ("Samordningsförbundet Alfa", "Steg till arbete", "Kön: kvinnor",
                 "Bostadskommun: Stockholm", "Målgrupp:", "2024-01-01 – 2024-12-31",
                 "Antal personer färre än 5 visas inte."):
        assert text in html, text
    csv_text = c.get("/rapporter/insatser/export/csv/", params).content.decode("utf-8-sig")
    assert 'Urval;"Kön: kvinnor; Målgrupp:' in csv_text and "Bostadskommun: Stockholm" in csv_text
    assert "Insatser;Steg till arbete" in csv_text
    wb = load_workbook(io.BytesIO(c.get("/rapporter/insatser/export/xlsx/", params).content))
    values = [v for ws in wb for r in ws.iter_rows(values_only=True) for v in r if v]
    assert any("Kön: kvinnor" in str(v) for v in values)
    from stegvis.indicators import exports

    report = reports.build("insatser", user=p.reader_a, query=query(
        p.reader_a, intervention_ids=[scenario.i1.pk], sex="K", kommun="0180"))
    pdf_html = exports.render_to_string("indicators/report_pdf.html", {
        "report": report, "tables": [{"table": t, "rows": t.display_rows(), "chart": None,
                                      "legend": t.legend()} for t in report.tables]})
    assert 'class="subtitle">2024 · Steg till arbete · Kön: kvinnor; Bostadskommun: Stockholm' \
        in pdf_html
    r = c.get("/api/v1/reports/insatser", {"from": "2024-01-01", "to": "2024-12-31",
                                           "sex": "K", "kommun": "0180"})
    body = r.json()
    assert body["filters"]["sex"] == "K" and body["filters"]["kommun"] == "0180"
    assert body["filters_label"] == "Kön: kvinnor; Bostadskommun: Stockholm"
    assert body["suppression_text"].startswith("Antal personer färre än 5")
    anon = body["tables"][0]["rows"][0]["cells"][12]
    assert anon == {"kind": "count", "value": None, "suppressed": False,
                    "reason": maths.REASON_ANONYMOUS_FILTER, "numerator": None,
                    "denominator": None, "preliminary": False}


def test_marks_legends_and_swedish_numbers(scenario, client_for):
    c = client_for(scenario.personas.reader_a)
    html = c.get("/rapporter/indikatorer/", {"period": "2024-Q2"}).content.decode()
    assert "&lt;5" not in html
    assert '<ul class="table-legend"' in html
    assert "– = räknas per kalenderår" in html
    assert '<span class="visually-hidden">uppgift saknas: räknas per kalenderår</span>' in html
    # Thousands with a narrow no-break space, decimal comma.
    from stegvis.indicators.tables import Cell, format_number

    assert format_number(1234567) == "1\u202f234\u202f567"
    assert format_number(-1234.56, 1) == "\u22121\u202f234,6"
    assert Cell("rate", 0.125, 1, 8).display() == "12,5 %"
    html = c.get("/rapporter/kostnader/", {"period": "2024"}).content.decode()
    assert "900\u202f000" in html and "800\u202f000" in html
    # Rates, percentage points and medians never carry a count mark.
    std = reports.build("standard", user=scenario.personas.reader_a,
                        query=query(scenario.personas.reader_a))
    for table in std.tables:
        for r in table.display_rows():
            assert all("<" not in cell["text"] for cell in r["cells"])


def test_chart_axis_uses_swedish_numbers():
    from stegvis.indicators.tables import COUNT, Cell, Row, Table

    t = Table("t", "Test", "Rad", ["Kvinnor", "Män", "Totalt"], triples=[(0, 1, 2)], chart=True,
              rows=[Row("a", [Cell(COUNT, 12_000), Cell(COUNT, 9_000), Cell(COUNT, 21_000)])])
    svg = charts.chart_svg(t).decode()
    assert "10\u202f000" in svg and "10,000" not in svg and "10000" not in svg


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"period": "2024", "kommun": "9999"}, "Välj ett giltigt alternativ"),
        ({"period": "2024", "target_group": "hemlig"}, "Välj ett giltigt alternativ"),
        ({"period": "2099"}, "efter dagens datum"),
    ],
)
def test_unknown_filter_or_period_beyond_the_data_is_refused(scenario, client_for, params,
                                                             fragment):
    r = client_for(scenario.personas.reader_a).get("/rapporter/standard/", params)
    assert r.status_code == 400
    html = r.content.decode()
    assert fragment in html and "<caption>" not in html


@pytest.mark.parametrize(
    ("params", "field"),
    [({"kommun": "9999"}, "kommun"), ({"sex": "X"}, "sex"), ({"age_group": "gammal"},
                                                             "age_group"),
     ({"target_group": "hemlig"}, "target_group")],
)
def test_api_refuses_unknown_filter_values(scenario, client_for, params, field):
    r = client_for(scenario.personas.reader_a).get(
        "/api/v1/indicators", {"from": "2024-01-01", "to": "2024-12-31", **params})
    assert r.status_code == 400
    assert r.json()["field"] == field and r.json()["code"] == "bad_request"
    r = client_for(scenario.personas.reader_a).get(
        "/api/v1/indicators", {"from": "2099-01-01", "to": "2099-12-31"})
    assert r.status_code == 400 and "efter dagens datum" in r.json()["message"]


def test_threshold_below_three_refuses_to_start(settings):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 2
    with pytest.raises(SystemCheckError) as exc:
        call_command("check")
    assert "STEGVIS_SUPPRESSION_THRESHOLD måste vara ett heltal, minst 3" in str(exc.value)
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 3
    call_command("check")


def test_settings_refuse_a_threshold_below_three():
    import os
    import subprocess
    import sys

    env = {**os.environ, "STEGVIS_SUPPRESSION_THRESHOLD": "2",
           "DJANGO_SETTINGS_MODULE": "stegvis.settings"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "STEGVIS_SUPPRESSION_THRESHOLD måste vara minst 3 (är 2)" in done.stderr


def test_national_yearly_xlsx_takes_the_protected_cells(scenario, client_for):
    p = scenario.personas
    r = client_for(p.admin_a).get(f"/rapporter/forbund/{p.a.pk}/arsuppgifter/2024.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(x for x in rows if x and x[0] == "Insats")
    steg = dict(zip(header, next(x for x in rows if x and x[0] == "Steg till arbete"),
                    strict=False))
    b = reports.bundle(user=p.admin_a, query=query(p.admin_a, association_ids=[p.a.pk]))
    ins = row(b.reports["insatser"], "interventions", str(scenario.i1.pk)).cells
    shown = [steg[f"Identifierade: {s} (antal)"] for s in ("Kvinnor", "Män", "Totalt")]
    assert shown == [".." if c.suppressed else c.value for c in ins[9:12]]
    assert steg["Volym (antal)"] == (".." if ins[15].suppressed else ins[15].value)
    assert any(x and str(x[0]).startswith(".. = uppgiften visas inte") for x in rows)


def test_every_output_of_one_scope_and_period_hides_the_same_cells(scenario, client_for):
    """Page (the bundle), API report JSON, API headline and CSV come from one protection run."""
    user = scenario.personas.reader_a
    c = client_for(user)
    b = reports.bundle(user=user, query=query(user))
    for name in reports.REPORTS:
        api = c.get(f"/api/v1/reports/{name}", {"from": "2024-01-01", "to": "2024-12-31"}).json()
        mine = [[cell.suppressed for cell in r.cells] for t in b.reports[name].tables
                for r in t.rows]
        theirs = [[cell["suppressed"] for cell in r["cells"]] for t in api["tables"]
                  for r in t["rows"]]
        assert mine == theirs, name
    csv_text = c.get("/rapporter/kostnader/export/csv/", {"period": "2024"}).content.decode(
        "utf-8-sig")
    hidden = sum(cell.suppressed for t in b.reports["kostnader"].tables for r in t.rows
                 for cell in r.cells)
    assert csv_text.count(";..") == hidden
    items = c.get("/api/v1/indicators", {"from": "2024-01-01", "to": "2024-12-31"}).json()
    head = b.reports["indikatorer"].tables[0]
    assert [i["suppressed"] for i in items["indicators"]] == [
        cell.suppressed for r in head.rows for cell in r.cells]

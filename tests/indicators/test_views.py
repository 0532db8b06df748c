"""Report pages, start page, national view and exports: scope, suppression, audit, bad input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from stegvis.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

Y = {"period": "2024"}


def test_report_pages_render_with_tables_captions_and_charts(scenario, client_for):
    p = scenario.personas
    c = client_for(p.reader_a)
    for name in ("standard", "deltagare", "insatser", "kostnader", "uppfoljning", "tackning",
                 "indikatorer"):
        r = c.get(f"/rapporter/{name}/", Y)
        assert r.status_code == 200, name
        html = r.content.decode()
        assert "<caption>" in html
        assert "Sekretessgräns" in html
        assert "style=" not in html  # CSP: no inline styles
    html = c.get("/rapporter/standard/", Y).content.decode()
    assert "&lt;5" not in html
    assert '<span aria-hidden="true">..</span><span class="visually-hidden">dold uppgift</span>' \
        in html  # hidden cells: one neutral mark with an accessible name
    assert "uppgiften visas inte för att skydda enskilda personer (färre än 5" in html
    # Every charted value of this small scenario is hidden: no (empty, misleading) chart is drawn.
    # Charts of visible values: tests/indicators/test_presentation.py.
    assert 'src="data:image/svg+xml;base64,' not in html


def test_index_and_start_page(scenario, client_for):
    p = scenario.personas
    c = client_for(p.admin_a)
    r = c.get("/rapporter/")
    assert r.status_code == 200
    assert f"/rapporter/forbund/{p.a.pk}/" in r.content.decode()
    r = c.get(f"/rapporter/forbund/{p.a.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Påbörjade deltaganden per månad" in html
    assert "Uppföljningar som ska göras nu" in html


def test_outsider_cannot_reach_a_by_any_parameter(scenario, client_for):
    p = scenario.personas
    c = client_for(p.admin_b)
    assert c.get(f"/rapporter/forbund/{p.a.pk}/").status_code == 404
    assert c.get("/rapporter/standard/", {**Y, "association": p.a.pk}).status_code == 404
    assert c.get("/rapporter/standard/", {**Y, "intervention": scenario.i1.pk}).status_code == 404
    r = c.get("/rapporter/standard/", {**Y, "association": p.b.pk,
                                       "intervention": scenario.i1.pk})
    assert r.status_code == 404
    assert c.get("/rapporter/standard/export/csv/",
                 {**Y, "association": p.a.pk}).status_code == 404
    assert c.get(f"/rapporter/forbund/{p.a.pk}/arsuppgifter/2024.xlsx").status_code == 404
    assert c.get("/rapporter/nationellt/").status_code == 403
    # Its own report never includes A's insatser.
    html = c.get("/rapporter/insatser/", Y).content.decode()
    assert "Steg till arbete" not in html and "Beta-insatsen" in html


def test_role_without_reports_is_refused(scenario, client_for):
    p = scenario.personas
    assert client_for(p.officer_a).get(f"/rapporter/forbund/{p.a.pk}/").status_code == 403
    assert client_for(p.officer_a).get("/rapporter/").status_code == 403


def test_national_view_one_row_per_association_and_total(scenario, client_for):
    c = client_for(scenario.personas.national_reader)
    r = c.get("/rapporter/nationellt/", Y)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Samordningsförbundet Alfa" in html and "Samordningsförbundet Beta" in html
    assert "Hela landet" in html
    r = c.get("/rapporter/nationellt/export/xlsx/", Y)
    assert r.status_code == 200
    assert AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"from_date": "2024-05-01", "to_date": "2024-04-01"}, "före startdatumet"),
        ({"from_date": "2024-02-31", "to_date": "2024-04-01"}, "kunde inte tolkas"),
        ({"from_date": "2001-01-01", "to_date": "2024-04-01"}, "högst 10 år"),
        ({"period": "förra året"}, "ange ett år"),
    ],
)
def test_bad_period_shows_error_summary_and_computes_nothing(scenario, client_for, params,
                                                              fragment):
    r = client_for(scenario.personas.reader_a).get("/rapporter/standard/", params)
    assert r.status_code == 400
    html = r.content.decode()
    assert 'class="error-summary"' in html
    assert fragment in html
    assert "<caption>" not in html


def test_unknown_report_is_404(scenario, client_for):
    c = client_for(scenario.personas.reader_a)
    assert c.get("/rapporter/hemlig/").status_code == 404
    assert c.get("/rapporter/standard/export/doc/").status_code == 404


def test_exports_csv_xlsx_pdf_are_audited_and_hold_no_identifiers(scenario, client_for):
    p = scenario.personas
    c = client_for(p.reader_a)
    for fmt, magic in (("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        r = c.get(f"/rapporter/deltagare/export/{fmt}/", {**Y, "association": p.a.pk})
        assert r.status_code == 200, fmt
        assert r.content.startswith(magic)
        assert b"Deltagande " not in r.content
    events = AuditEvent.objects.filter(action=Action.EXPORT)
    assert events.count() == 3
    assert {e.details["format"] for e in events} == {"csv", "xlsx", "pdf"}
    assert all(e.association_id == p.a.pk for e in events)
    csv_text = c.get("/rapporter/standard/export/csv/", Y).content.decode("utf-8-sig")
    assert "<5" not in csv_text
    assert ";..;" in csv_text
    assert "Sekretessgräns;Antal personer färre än 5 visas inte." in csv_text


def test_xlsx_escapes_formulas():
    from stegvis.lib.spreadsheet import escape

    assert escape("=SUM(A1)") == "'=SUM(A1)"
    assert escape("+1") == "'+1"
    assert escape("-1") == "'-1"
    assert escape("@x") == "'@x"
    assert escape("ok") == "ok"
    assert escape(-3) == -3


def test_yearly_aggregate_xlsx(scenario, client_for, settings):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1
    p = scenario.personas
    # An insats named like a formula must arrive escaped.
    scenario.i2.name = "=HYPERLINK(\"x\")"
    scenario.i2.save()
    r = client_for(p.admin_a).get(f"/rapporter/forbund/{p.a.pk}/arsuppgifter/2024.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "Insats")
    data = {r[0]: dict(zip(header, r, strict=False)) for r in rows if r and r[0]}
    steg = data["Steg till arbete"]
    assert (steg["Identifierade: Kvinnor (antal)"], steg["Identifierade: Män (antal)"],
            steg["Identifierade: Totalt (antal)"]) == (4, 3, 7)  # P1 P2 P5 P7 | P3 P4 P9
    assert steg["Anonyma: Totalt (antal)"] == 6
    assert steg["Utfall (kr)"] == 800_000
    # The header block says what the sheet shows; the header row is frozen; real numbers
    # with a number format; columns sized.
    block = {r[0]: r[1] for r in rows[: rows.index(header)] if r and r[0]}
    assert block["Förbund"] == "Samordningsförbundet Alfa"
    assert block["Period"].startswith("2024")
    assert block["Urval"] == "Inga urval"
    header_row = rows.index(header) + 1
    assert ws.freeze_panes == f"B{header_row + 1}"
    number = next(c for c in ws[header_row + 1] if isinstance(c.value, int))
    assert number.number_format == "#,##0"
    assert ws.column_dimensions["A"].width >= len("Steg till arbete")
    assert "'=HYPERLINK(\"x\")" in data
    assert AuditEvent.objects.filter(action=Action.EXPORT, details__report="arsuppgifter").exists()


def test_home_page_links_to_reports(scenario, client_for):
    r = client_for(scenario.personas.reader_a).get("/")
    assert "/rapporter/" in r.content.decode()

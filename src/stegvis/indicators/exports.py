"""Exports of finalised reports: CSV, XLSX and PDF. Aggregates only, never identities.

Every text cell that a spreadsheet could take for a formula (starting with ``=``, ``+``,
``-`` or ``@``, also after leading tabs/CR) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string

from stegvis.indicators import charts
from stegvis.indicators.reports import Report
from stegvis.indicators.tables import AMOUNT, COUNT, MEDIAN, RATE, Cell, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell_value(cell: Cell, threshold: int) -> Any:
    """A number where the cell is a number, else its text (``<5`` when suppressed)."""
    if cell.suppressed:
        return f"<{threshold}"
    if cell.value is None:
        return ""
    if cell.kind in (COUNT, AMOUNT) and isinstance(cell.value, int | float):
        return cell.value
    if cell.kind == RATE:
        return round(float(cell.value) * 100, 1)
    if cell.kind == MEDIAN:
        return round(float(cell.value), 1)
    return escape(cell.display(threshold))


def _meta_lines(report: Report) -> list[list[Any]]:
    meta = report.meta()
    return [
        [escape(report.title)],
        ["Omfattning", escape(report.scope_label)],
        ["Period", meta["period"]["from"], meta["period"]["to"]],
        ["Sekretessgräns", f"Celler med 1–{report.threshold - 1} visas som <{report.threshold}"],
        ["Framtagen", meta["generated"]],
        *[["Not", escape(n)] for n in report.notes],
    ]


def _table_lines(table: Table, threshold: int) -> Iterable[list[Any]]:
    yield [escape(table.caption)]
    yield [escape(table.row_header), *[escape(c) for c in table.columns]]
    for row in table.rows:
        yield [escape(row.header), *[_cell_value(c, threshold) for c in row.cells]]


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for line in _meta_lines(report):
        writer.writerow(line)
    for table in report.tables:
        writer.writerow([])
        for line in _table_lines(table, report.threshold):
            writer.writerow(line)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    """One sheet per report (write-only workbook: memory stays bounded)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=report.title[:31])
    for line in _meta_lines(report):
        ws.append(line)
    for table in report.tables:
        ws.append([])
        for line in _table_lines(table, report.threshold):
            ws.append(line)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rows_to_xlsx(title: str, header: list[str], rows: Iterable[list[Any]],
                 meta: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for line in meta:
        ws.append([escape(v) for v in line])
    ws.append([])
    ws.append([escape(h) for h in header])
    for row in rows:
        ws.append([escape(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


PDF_CSS = """
@page { size: A4 landscape; margin: 1.5cm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.5pt; }
h1 { font-size: 15pt; } h2 { font-size: 11pt; margin-top: 1.2em; }
table { border-collapse: collapse; margin: .5em 0 1em; table-layout: fixed; width: 100%; }
th, td { overflow-wrap: anywhere; }
caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
th, td { border: 1px solid #999; padding: 2px 4px; }
td.num { text-align: right; }
tr.total th, tr.total td { font-weight: bold; }
img.chart { width: 16cm; }
dl.meta dt { font-weight: bold; float: left; width: 8em; } dl.meta dd { margin-left: 8.5em; }
"""  # noqa: E501


def pdf_supported_options() -> dict[str, Any]:
    """Tagged PDF: PDF/UA-1 where this WeasyPrint knows it, else plain structure tags."""
    from weasyprint.pdf import VARIANTS

    if "pdf/ua-1" in VARIANTS:
        return {"pdf_variant": "pdf/ua-1"}
    return {"pdf_tags": True}


def to_pdf(report: Report) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(
        "indicators/report_pdf.html",
        {
            "report": report,
            "tables": [
                {
                    "table": t,
                    "rows": t.display_rows(),
                    "chart": charts.data_uri(t) if t.chart else None,
                }
                for t in report.tables
            ],
        },
    )
    document = HTML(string=html, base_url=None)
    return document.write_pdf(stylesheets=[CSS(string=PDF_CSS)], **pdf_supported_options())

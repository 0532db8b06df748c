"""Exports of protected reports: CSV, XLSX and PDF. Aggregates only, never identities.

Each export carries the report's header block (förbund, insatser, period, every filter, the
threshold in words) and, beneath every table with a hidden or unavailable cell, its legend.

Every text cell that a spreadsheet could take for a formula (starting with ``=``, ``+``,
``-`` or ``@``, also after leading tabs/CR) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from stegvis.indicators import charts
from stegvis.indicators.reports import Report
from stegvis.indicators.tables import AMOUNT, CHANGE, COUNT, MEDIAN, PER, RATE, Table
from stegvis.lib.spreadsheet import escape


def _header_block(report: Report) -> list[list[Any]]:
    """What the export shows: report, förbund, insatser, period, every filter, threshold."""
    return [[escape(k), escape(v)] for k, v in report.header_lines()] + [
        [_("Not"), escape(n)] for n in report.notes
    ]


def _columns(table: Table) -> tuple[list[str], bool]:
    """Column headers with their unit; a per-row "Enhet" column when units vary by row."""
    units = table.column_units()
    headers = [c if not u or f"({u})" in c else f"{c} ({u})"
               for c, u in zip(table.columns, units, strict=True)]
    per_row = any(u is None for u in units) and any(table.row_units())
    return headers, per_row


def to_csv(report: Report) -> bytes:
    """Semicolon-separated, the cells as shown on the page (Swedish number format)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for line in _header_block(report):
        writer.writerow(line)
    for table in report.tables:
        headers, per_row = _columns(table)
        units = table.row_units()
        writer.writerow([])
        writer.writerow([escape(table.caption)])
        writer.writerow([escape(table.row_header), *([_("Enhet")] if per_row else []),
                         *[escape(h) for h in headers]])
        for i, row in enumerate(table.rows):
            writer.writerow([escape(row.header), *([units[i]] if per_row else []),
                             *[escape(c.display()) for c in row.cells]])
        for line in table.legend():
            writer.writerow([escape(line)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


NUMBER_FORMATS = {
    COUNT: "#,##0",
    AMOUNT: "#,##0",
    PER: "#,##0",
    RATE: "0.0",
    MEDIAN: "0",
    CHANGE: "+0.0;-0.0;0.0",
}


def _sheet_title(caption: str, used: set[str]) -> str:
    base = "".join(ch for ch in caption if ch not in "[]:*?/\\")[:28].strip() or _("Tabell")
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]} {n}", n + 1
    used.add(title)
    return title


def to_xlsx(report: Report) -> bytes:
    """One sheet per table: the header block, then the table with its header row frozen,
    real numbers with a number format (units in the headers), sized columns, the legend."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in report.tables:
        ws = wb.create_sheet(title=_sheet_title(table.caption, used))
        ws.append([escape(table.caption)])
        ws.cell(row=1, column=1).font = bold
        for line in _header_block(report):
            ws.append(line)
        ws.append([])
        headers, per_row = _columns(table)
        units = table.row_units()
        ws.append([escape(table.row_header), *([_("Enhet")] if per_row else []),
                   *[escape(h) for h in headers]])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = bold
        ws.freeze_panes = f"B{header_row + 1}"
        offset = 2 + (1 if per_row else 0)
        for i, row in enumerate(table.rows):
            values: list[Any] = [escape(row.header), *([units[i]] if per_row else [])]
            for c in row.cells:
                number = c.number()
                values.append(number if number is not None else escape(c.display()))
            ws.append(values)
            r = ws.max_row
            for j, c in enumerate(row.cells):
                if c.number() is not None and c.kind in NUMBER_FORMATS:
                    ws.cell(row=r, column=offset + j).number_format = NUMBER_FORMATS[c.kind]
            if i == table.total_row:
                for cell in ws[r]:
                    cell.font = bold
        ws.append([])
        for line in table.legend():
            ws.append([escape(line)])
        widths = [len(str(table.row_header)), *([5] if per_row else []),
                  *[len(h) for h in headers]]
        for row in table.rows:
            widths[0] = max(widths[0], len(row.header))
            for j, c in enumerate(row.cells):
                widths[offset - 1 + j] = max(widths[offset - 1 + j], len(c.display()))
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 8), 60)
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
.visually-hidden { display: none; }
ul.table-legend { list-style: none; padding: 0; margin: 0 0 1em; font-size: 8pt; }
p.subtitle { font-size: 10pt; }
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
                    "legend": t.legend(),
                }
                for t in report.tables
            ],
        },
    )
    document = HTML(string=html, base_url=None)
    return document.write_pdf(stylesheets=[CSS(string=PDF_CSS)], **pdf_supported_options())

"""Exports of a förbund's year: the numbers an annual report needs, as XLSX and PDF.

Both formats are built from the same sections (income by member, costs by post and insats,
equity movement). Text cells in XLSX are formula-escaped: a value starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading apostrophe so no spreadsheet runs it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from stegvis.finance.figures import YearFigures
from stegvis.lib.spreadsheet import escape


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list[Any]]


def sections(f: YearFigures) -> list[Section]:
    income = Section(
        _("Intäkter per medlem"),
        [_("Medlem"), _("Part"), _("Andel av partens del (%)"), _("Bidrag (kr)"), _("Betalt")],
        [
            [c.organisation.name, c.organisation.get_kind_display(), float(c.share_pct),
             int(c.amount), c.paid_on.isoformat() if c.paid_on else _("Obetalt")]
            for c in f.contributions
        ]
        + [[_("Övriga intäkter"), "", None, f.other_income, ""],
           [_("Summa intäkter"), "", None, f.contributions_total + f.other_income, ""]],
    )
    posts = Section(
        _("Kostnader per post"),
        [_("Post"), _("Budget (kr)"), _("Utfall (kr)"), _("Avvikelse (kr)")],
        [[p.label, p.budget, p.actual, p.difference] for p in f.posts]
        + [[_("Summa"), f.budget_total, f.costs, f.costs - f.budget_total]],
    )
    insatser = Section(
        _("Kostnader per insats"),
        [_("Insats"), _("Budget (kr)"), _("Utfall (kr)"), _("Avvikelse (kr)")],
        [[i.name, i.budget, i.actual, i.difference] for i in f.interventions],
    )
    equity = Section(
        _("Eget kapital"),
        [_("Post"), _("Belopp (kr)")],
        [
            [_("Ingående eget kapital"), f.opening_equity],
            [_("+ Medlemsbidrag"), f.contributions_total],
            [_("+ Övriga intäkter"), f.other_income],
            [_("− Kostnader"), -f.costs],
            [_("Utgående eget kapital"), f.closing_equity],
            # xgettext:no-python-format
            [_("Eget kapital i % av medlemsbidragen"),
             float(f.equity_share_pct) if f.equity_share_pct is not None else None],
            [_("Förbrukning av tillgängliga medel (%)"),
             float(f.utilisation_pct) if f.utilisation_pct is not None else None],
        ],
    )
    return [income, posts, insatser, equity]


def xlsx(f: YearFigures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(f.finance_year.year)
    title = f"{f.finance_year.association.name} – ekonomi {f.finance_year.year}"
    sheet.append([escape(title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for section in sections(f):
        sheet.append([])
        sheet.append([escape(section.title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([escape(h) for h in section.header])
        for row in section.rows:
            sheet.append([escape(v) for v in row])
    sheet.column_dimensions["A"].width = 42
    for column in "BCDE":
        sheet.column_dimensions[column].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf(html: str, base_url: str) -> bytes:
    """Tagged PDF (PDF/UA-1) from the report template's HTML."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")

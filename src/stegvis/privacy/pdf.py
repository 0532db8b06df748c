"""The register extract as a tagged PDF (WeasyPrint, as the indicator PDFs)."""

from __future__ import annotations

from django.template.loader import render_to_string

from stegvis.indicators.exports import pdf_supported_options
from stegvis.privacy.selectors import RegisterExtract

PDF_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: sans-serif; font-size: 9.5pt; color: #1b1b1b; }
h1 { font-size: 16pt; } h2 { font-size: 12.5pt; margin-top: 14pt; } h3 { font-size: 10.5pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; }
th, td { border: 0.5pt solid #888; padding: 2pt 4pt; text-align: left; vertical-align: top; }
thead th { background: #eee; }
dl dt { font-weight: bold; float: left; width: 12em; } dl dd { margin-left: 12.5em; }
"""  # noqa: E501


def extract_pdf(extract: RegisterExtract) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("privacy/extract_pdf.html", {"extract": extract})
    return HTML(string=html, base_url=None).write_pdf(
        stylesheets=[CSS(string=PDF_CSS)], **pdf_supported_options()
    )

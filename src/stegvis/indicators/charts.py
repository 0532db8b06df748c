"""Charts (matplotlib SVG) for the main tables; always shown beside their data table.

Under the Content Security Policy (no inline styles) the SVG is embedded as an
``<img src="data:image/svg+xml;base64,...">`` (``img-src 'self' data:``): an image document
cannot run scripts, and its internal styles do not touch the page. Hidden cells are drawn
as empty bars; the table beside the chart shows ``..`` and its legend.
"""

from __future__ import annotations

import base64
import hashlib
import io

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from stegvis.indicators.tables import COUNT, RATE, Table, format_number

matplotlib.rcParams["svg.hashsalt"] = "stegvis"
matplotlib.rcParams["svg.fonttype"] = "none"

CHART_VERSION = 1  # raise when the drawing code changes, so no older drawing is reused
CHART_TIMEOUT = 7 * 24 * 3600

COLOURS = {"K": "#7b2d8e", "M": "#1f6f8b", "T": "#444444"}
OTHER_COLOURS = ("#1f6f8b", "#b35c00", "#444444", "#7b2d8e")


def _series(table: Table) -> tuple[list[str], dict[str, list[float]], str]:
    """Row labels and the values per sex of the first K/M/T triple (or the last column)."""
    rows = [r for i, r in enumerate(table.rows) if i != table.total_row]
    labels = [r.header for r in rows]
    if table.chart_column is not None:
        # One chosen column (e.g. Täckning's coverage), never the counts beside it.
        c = table.chart_column
        cells = [r.cells[c] for r in rows]
        unit = "rate" if any(cell.kind == RATE for cell in cells) else "count"
        return labels, {"T": [
            float(cell.value) * (100 if cell.kind == RATE else 1)  # type: ignore[arg-type]
            if not cell.suppressed and cell.value is not None else 0.0 for cell in cells
        ]}, unit
    if len(table.triples) >= 2:
        # Before/after style: the totals of each K/M/T group side by side.
        unit = "count"
        series = {}
        for _k, _m, t in table.triples:
            name = table.columns[t].replace(_("Totalt"), "").strip(" :") or table.columns[t]
            values = []
            for r in rows:
                cell = r.cells[t]
                unit = "rate" if cell.kind == RATE else unit
                ok = not cell.suppressed and cell.value is not None
                values.append(float(cell.value) * (100 if cell.kind == RATE else 1) if ok
                              else 0.0)  # type: ignore[arg-type]
            series[name] = values
        return labels, series, unit
    if table.triples:
        k, m, _t = table.triples[0]
        unit = "count"
        series: dict[str, list[float]] = {"K": [], "M": []}
        for r in rows:
            for sex, c in (("K", k), ("M", m)):
                cell = r.cells[c]
                unit = "rate" if cell.kind == RATE else unit
                value = cell.value if not cell.suppressed and cell.value is not None else 0
                series[sex].append(float(value) * (100 if cell.kind == RATE else 1))
        return labels, series, unit
    series = {"T": []}
    unit = "count"
    for r in rows:
        cell = r.cells[-1]
        unit = "rate" if cell.kind == RATE else unit
        ok = not cell.suppressed and cell.value is not None and cell.kind in (COUNT, RATE)
        series["T"].append(
            float(cell.value) * (100 if cell.kind == RATE else 1) if ok else 0.0  # type: ignore[arg-type]
        )
    return labels, series, unit


def chart_svg(table: Table) -> bytes:
    labels, series, unit = _series(table)
    height = max(2.5, 0.35 * len(labels) * max(1, len(series)) + 1.2)
    fig = Figure(figsize=(7.5, height))
    ax = fig.add_subplot()
    n = len(series)
    bar = 0.8 / n
    positions = list(range(len(labels)))
    names = {"K": _("Kvinnor"), "M": _("Män"), "T": _("Totalt")}
    for i, (sex, values) in enumerate(series.items()):
        ax.barh([p + i * bar for p in positions], values, height=bar,
                label=names.get(sex, sex),
                color=COLOURS.get(sex, OTHER_COLOURS[i % len(OTHER_COLOURS)]))
    ax.set_yticks([p + bar * (n - 1) / 2 for p in positions])
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlabel(_("Procent") if unit == "rate" else _("Antal"))
    # Swedish numbers on the axis: narrow no-break space, decimal comma, U+2212 minus.
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: format_number(x, 0 if float(x).is_integer() else 1)
    ))
    ax.set_title(table.caption, fontsize=10, loc="left", wrap=True)
    if n > 1:
        ax.legend(loc="best")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    # Text as text, not as glyph outlines: a tenth of the size, selectable and readable by
    # assistive technology, and the PDF renderer lays it out several times faster.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def data_uri(table: Table) -> str | None:
    """The chart as a data: URI, or ``None`` when every value is hidden or zero (an empty
    chart would only mislead; the table says why the values are hidden).

    Drawn once per content: the cache key is a hash of everything drawn (caption, labels,
    values after protection, unit), so a changed figure is a different key (ADR 0012)."""
    labels, series, unit = _series(table)
    if not any(v for values in series.values() for v in values):
        return None
    key = "stegvis:chart:" + hashlib.sha256(
        repr((CHART_VERSION, table.caption, labels, series, unit)).encode()
    ).hexdigest()
    uri = cache.get(key)
    if uri is None:
        uri = "data:image/svg+xml;base64," + base64.b64encode(chart_svg(table)).decode("ascii")
        cache.set(key, uri, CHART_TIMEOUT)
    return uri  # type: ignore[no-any-return]

"""Charts as SVG (matplotlib ``Figure`` without pyplot).

The page shows the chart as ``<img src=…>`` from its own URL (``image/svg+xml``), never inline:
matplotlib writes ``style`` attributes and a ``<style>`` element into the SVG, which the page's
Content-Security-Policy (``style-src 'self'``) would block inline. The SVG response gets its own
small policy (see views). The same numbers are always shown in a table beside the chart.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from stegvis.finance.numbers import format_kronor

# Local settings only (rc_context): other apps' charts keep their own. No global backend is
# chosen: a bare Figure renders SVG by itself.
SVG_RC = {
    "svg.fonttype": "none",  # text stays text (smaller, searchable)
    "svg.hashsalt": "stegvis",  # stable ids: same data, same bytes
}


def budget_vs_actual_svg(
    labels: Sequence[str], budget: Sequence[int], actual: Sequence[int | None], *, title: str
) -> bytes:
    """Horizontal bars: budget and actual per insats (actual missing: no bar)."""
    with matplotlib.rc_context(SVG_RC):
        return _budget_vs_actual(labels, budget, actual, title=title)


def _budget_vs_actual(
    labels: Sequence[str], budget: Sequence[int], actual: Sequence[int | None], *, title: str
) -> bytes:
    n = max(len(labels), 1)
    figure = Figure(figsize=(8, 1.2 + 0.6 * n))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    height = 0.38
    axes.barh([p - height / 2 for p in positions], list(budget), height=height,
              label=_("Budget"), color="#1f5f8b")
    axes.barh([p + height / 2 for p in positions], [a or 0 for a in actual], height=height,
              label=_("Utfall"), color="#e08a1e", hatch="//", edgecolor="#7a4a0f")
    axes.set_yticks(positions, labels=[label[:40] for label in labels])
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_kronor(int(x))))
    axes.set_xlabel(_("kronor"))
    axes.set_title(title)
    axes.legend(loc="lower right")
    if not labels:
        axes.text(0.5, 0.5, _("Inga insatser med budget detta år"), transform=axes.transAxes,
                  ha="center")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()

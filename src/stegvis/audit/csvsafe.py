"""Cells that spreadsheet programs will not run as formulas. Pure: no Django imports."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is read as a formula by Excel, LibreOffice and others.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """``value`` as text; prefixed with ' if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text

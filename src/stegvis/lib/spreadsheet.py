"""Cells that spreadsheet programs will not run as formulas. Pure: no Django imports.

Excel, LibreOffice and others read a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula; such text gets a leading ``'`` in every CSV and XLSX export.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would take for a formula (XLSX cells:
    numbers and dates stay numbers and dates)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value: Any) -> str:
    """``value`` as escaped text (CSV cells); ``None`` is the empty string."""
    return escape("" if value is None else str(value))

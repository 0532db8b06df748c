"""Largest-remainder rounding: whole units that add up to a total. Pure: no Django imports.

Each exact amount is rounded down, and the units left over go one each to the largest
fractional parts. Ties need a rule, and the project has two on purpose:

- ``tie_key=None`` (the default): ties go to the **earlier entry**. Used for money
  (``finance.money``): callers pass members in a fixed, documented order (the contribution
  table's order, the förbund's input order), so the order is the natural tie-break.
- ``tie_key=str`` (or another function of the key): ties go by the key, whatever order the
  entries come in. Used for a förbund's funding key (``associations.rules_pure``), whose weights
  arrive as a mapping built from queries, so the result must not depend on that mapping's order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeAlias

Exact: TypeAlias = Fraction | Decimal | int


class RoundingError(ValueError):
    """The exact amounts do not add up to the total (after rounding down, 0..n units left)."""


def largest_remainder(
    total: int,
    exact: Sequence[tuple[Any, Exact]],
    *,
    tie_key: Callable[[Any], Any] | None = None,
) -> list[int]:
    """Whole units for each ``(key, exact amount)``, in input order, adding up to ``total``.

    The exact amounts must be non-negative and add up to ``total``; a ``RoundingError`` is
    raised when rounding down leaves fewer than none or more units than entries.
    """
    floors = [math.floor(value) for _key, value in exact]
    remaining = total - sum(floors)
    if remaining < 0 or remaining > len(exact):
        raise RoundingError("the exact amounts do not add up to the total")

    def order(i: int) -> tuple[Any, ...]:
        tie = i if tie_key is None else tie_key(exact[i][0])
        return (-(exact[i][1] - floors[i]), tie)

    for i in sorted(range(len(exact)), key=order)[:remaining]:
        floors[i] += 1
    return floors

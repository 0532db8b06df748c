"""Small-cell suppression (indicators.md). Pure: no Django imports.

Cells are addressed by any hashable key. ``groups`` lists the linear relations that a reader
could use to recover a hidden cell: ``(total, parts)`` means ``value[total] == sum(value[parts])``
(a row or column with its total; a K/M/T triple is ``(T, [K, M])``).

1. Primary: a count ``1 <= n < threshold`` is suppressed.
2. Secondary: while some relation has exactly one suppressed cell (which could then be recovered
   by subtraction), suppress the smallest non-zero visible part of that relation (or its total
   when no such part exists). Repeat until every relation has none or at least two hidden cells.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

Group = tuple[Hashable, Sequence[Hashable]]


def is_primary(value: int | None, threshold: int) -> bool:
    return value is not None and 1 <= value < threshold


def suppress_counts(
    values: Mapping[Hashable, int | None],
    groups: Iterable[Group],
    threshold: int,
) -> set[Hashable]:
    """Keys of the cells to suppress (primary and secondary)."""
    hidden: set[Hashable] = {k for k, v in values.items() if is_primary(v, threshold)}
    relations = [(total, list(parts)) for total, parts in groups]
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = [total, *parts]
            unknown = [k for k in members if k in hidden]
            if len(unknown) != 1:
                continue
            candidates = [
                k for k in parts if k not in hidden and (values.get(k) or 0) > 0
            ]
            if candidates:
                pick = min(candidates, key=lambda k: (values.get(k) or 0, str(k)))
            elif total not in hidden and (values.get(total) or 0) > 0:
                pick = total
            else:
                continue  # every other cell is zero: nothing further to hide
            hidden.add(pick)
            changed = True
    return hidden


def recoverable(
    values: Mapping[Hashable, int | None], groups: Iterable[Group], hidden: set[Hashable]
) -> list[Hashable]:
    """Hidden non-zero cells that one relation alone would reveal (for tests and checks)."""
    found = []
    for total, parts in groups:
        members = [total, *parts]
        unknown = [k for k in members if k in hidden]
        if len(unknown) == 1 and (values.get(unknown[0]) or 0) > 0:
            found.append(unknown[0])
    return found


def rate_suppressed(
    numerator: int | None,
    denominator: int | None,
    threshold: int,
    *,
    numerator_hidden: bool = False,
    denominator_hidden: bool = False,
) -> bool:
    """A rate is hidden when its denominator is below the threshold or its numerator is small."""
    if numerator_hidden or denominator_hidden:
        return True
    if denominator is not None and 0 < denominator < threshold:
        return True
    return is_primary(numerator, threshold)

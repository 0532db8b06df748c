"""Linked small-cell protection: one problem per scope and period (indicators.md). Pure.

The model
---------
* A **variable** is a count of people addressed by a hashable key. The same count shown in
  several places (a headline figure repeated in a report, the denominator shared by several
  rates, a total row that equals a headline figure) is *one* variable: its cells share the key.
* A **relation** ``Relation(total, parts)`` states ``value[total] == sum(value[parts])``: a row
  or column with its total, a K/M/T triple (``T = K + M``) or a link between two tables
  (the Insatsrapport rows add up to the headline count, ...). Declaring a relation that does not
  hold in some data is safe (it can only hide more); missing a true one is a leak.
* A **derived** value (rate, median, cost per participant, coverage, change in percentage
  points) is not a variable: it is hidden whenever one of the variables it is computed from is
  hidden (``tables.py`` applies that rule), so it never reveals a hidden count.
* **Unavailable** variables (not applicable / not available: never published in this scope)
  are unknowns to a reader but need no protection themselves.

The algorithm
-------------
1. Primary: every variable with ``1 <= n < threshold`` is hidden.
2. Secondary: while a relation has exactly one unknown member with a non-zero value (it could
   be recovered by subtraction), hide the smallest non-zero visible part of that relation (or
   its total when no part qualifies). A work list keeps this linear in the relations touched.
3. Audit: for every connected group of unknowns, reduce the relations restricted to them to
   echelon form over the rationals; an unknown is *determined* exactly when a reduced row
   names it alone. Combinations of relations (across tables) are covered by this, not only
   single subtractions. If a hidden value ``1..threshold-1`` is determined, hide the nearest
   visible non-zero variable sharing a relation with it and go back to step 2.

Every round hides at least one more variable, so the loop ends.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import cast


@dataclass(frozen=True)
class Relation:
    """``value[total] == sum(value[p] for p in parts)``."""

    total: Hashable
    parts: tuple[Hashable, ...]
    name: str = ""

    @cached_property
    def members(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)

    @cached_property
    def coefficients(self) -> dict[Hashable, int]:
        """Coefficients of ``total - sum(parts) == 0`` (a key may occur on both sides)."""
        out: dict[Hashable, int] = dict.fromkeys(self.parts, -1)
        if len(out) < len(self.parts):  # a part listed twice
            out = defaultdict(int)
            for p in self.parts:
                out[p] -= 1
        out[self.total] = out.get(self.total, 0) + 1
        return {k: c for k, c in out.items() if c} if not all(out.values()) else dict(out)


def is_primary(value: int | None, threshold: int) -> bool:
    return value is not None and 1 <= value < threshold


def _index(relations: list[Relation]) -> dict[Hashable, list[int]]:
    by_var: dict[Hashable, list[int]] = defaultdict(list)
    for i, rel in enumerate(relations):
        for k in set(rel.members):
            by_var[k].append(i)
    return by_var


def _secondary(
    values: Mapping[Hashable, int | None],
    relations: list[Relation],
    by_var: dict[Hashable, list[int]],
    unknown: set[Hashable],
    hidden: set[Hashable],
) -> None:
    """Step 2, in place: no relation keeps exactly one unknown with a non-zero value."""
    queue = deque(range(len(relations)))
    queued = set(queue)
    while queue:
        i = queue.popleft()
        queued.discard(i)
        rel = relations[i]
        members = set(rel.members)
        open_ = [k for k in members if k in unknown]
        if len(open_) != 1 or not values.get(open_[0]):
            continue
        candidates = [k for k in set(rel.parts) if k not in unknown and (values.get(k) or 0) > 0]
        if candidates:
            pick = min(candidates, key=lambda k: (values.get(k) or 0, repr(k)))
        elif rel.total not in unknown and (values.get(rel.total) or 0) > 0:
            pick = rel.total
        else:
            continue  # every known member is zero: the unknown is zero as well
        unknown.add(pick)
        hidden.add(pick)
        for j in by_var[pick]:
            if j not in queued:
                queue.append(j)
                queued.add(j)


def determined(
    relations: Iterable[Relation], unknown: set[Hashable],
    by_var: dict[Hashable, list[int]] | None = None,
) -> set[Hashable]:
    """Unknowns whose value follows exactly from the relations and the visible values."""
    rels = list(relations)
    if by_var is not None:  # only the relations that touch an unknown
        rels = [rels[i] for i in sorted({i for k in unknown for i in by_var.get(k, ())})]
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows: list[dict[Hashable, Fraction | int]] = []
    for rel in rels:
        coefficients = rel.coefficients
        row: dict[Hashable, Fraction | int] = {
            k: coefficients[k] for k in coefficients.keys() & unknown
        }
        if not row:
            continue
        keys = list(row)
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
        find(keys[0])
        rows.append(row)
    groups: dict[Hashable, list[dict[Hashable, Fraction | int]]] = defaultdict(list)
    for row in rows:
        groups[find(next(iter(row)))].append(row)
    out: set[Hashable] = set()
    for group in groups.values():
        out |= _determined_in(group)
    return out


def _determined_in(rows: list[dict[Hashable, Fraction | int]]) -> set[Hashable]:
    """Sparse Gauss–Jordan elimination over one connected group of unknowns.

    Pivot rows hold their pivot and free variables only; ``occurs`` indexes which pivot rows
    hold a free variable, so a new pivot is substituted back only where it occurs, and each
    new row is reduced only by the pivots it contains. A pivot is taken where it occurs least
    (little fill-in). Coefficients stay integers while the pivots are ±1 (the usual case
    for sums) and become exact fractions otherwise."""
    pivots: dict[Hashable, dict[Hashable, Fraction | int]] = {}
    occurs: dict[Hashable, set[Hashable]] = defaultdict(set)
    zero = 0
    for original in sorted(rows, key=len):
        row = dict(original)
        for var in [v for v in row if v in pivots]:
            factor = row.get(var)
            if not factor:
                continue
            for k, v in pivots[var].items():
                nv = row.get(k, zero) - factor * v
                if nv:
                    row[k] = nv
                else:
                    row.pop(k, None)
        if not row:
            continue
        pivot = min(row, key=lambda k: (len(occurs.get(k, ())), repr(k)))
        scale = row[pivot]
        if scale in (1, -1):
            row = {k: v * scale for k, v in row.items()}
        else:
            row = {k: Fraction(v) / scale for k, v in row.items()}
        for other_pivot in list(occurs.get(pivot, ())):
            other = pivots[other_pivot]
            factor = other[pivot]
            for k, v in row.items():
                nv = other.get(k, zero) - factor * v
                if nv:
                    other[k] = nv
                    occurs[k].add(other_pivot)
                else:
                    other.pop(k, None)
                    occurs[k].discard(other_pivot)
        occurs.pop(pivot, None)
        pivots[pivot] = row
        for k in row:
            if k != pivot:
                occurs[k].add(pivot)
    return {var for var, row in pivots.items() if len(row) == 1}


def _nearest_visible(
    start: Hashable,
    values: Mapping[Hashable, int | None],
    relations: list[Relation],
    by_var: dict[Hashable, list[int]],
    unknown: set[Hashable],
) -> Hashable | None:
    """The smallest visible non-zero variable sharing a relation with ``start`` (breadth
    first through unknown members when the first ring has none)."""
    seen = {start}
    ring = [start]
    while ring:
        candidates: set[Hashable] = set()
        nxt: list[Hashable] = []
        for var in ring:
            for i in by_var.get(var, ()):
                for k in relations[i].members:
                    if k in seen:
                        continue
                    seen.add(k)
                    if k in unknown:
                        nxt.append(k)
                    elif (values.get(k) or 0) > 0:
                        candidates.add(k)
        if candidates:
            return min(candidates, key=lambda k: (values.get(k) or 0, repr(k)))
        ring = nxt
    return None


def protect(
    values: Mapping[Hashable, int | None],
    relations: Iterable[Relation],
    threshold: int,
    *,
    unavailable: Iterable[Hashable] = (),
) -> set[Hashable]:
    """Keys of the variables to hide (primary and secondary), so that no hidden value
    ``1..threshold-1`` can be recovered exactly from the visible ones and the relations."""
    # Variables are interned as small integers: hashing nested tuple keys dominated the run.
    ids: dict[Hashable, int] = {}
    for k in values:
        ids.setdefault(k, len(ids))
    rels = []
    for r in relations:
        if not r.coefficients:
            continue
        for k in r.members:
            ids.setdefault(k, len(ids))
        rels.append(Relation(ids[r.total], tuple(ids[p] for p in r.parts)))
    missing: set[Hashable] = {ids.setdefault(k, len(ids)) for k in unavailable}
    keys = list(ids)
    interned: dict[Hashable, int | None] = {ids[k]: v for k, v in values.items()}
    hidden_ids = _protect_ids(interned, rels, threshold, missing)
    return {keys[i] for i in hidden_ids}


def _protect_ids(
    values: Mapping[Hashable, int | None],
    rels: list[Relation],
    threshold: int,
    unavailable: set[Hashable],
) -> set[int]:
    """:func:`protect` over the interned variables: every key here is an ``int``."""
    by_var = _index(rels)
    hidden: set[Hashable] = {k for k, v in values.items() if is_primary(v, threshold)}
    unknown = hidden | unavailable
    while True:
        _secondary(values, rels, by_var, unknown, hidden)
        leaks = [
            k for k in determined(rels, unknown, by_var)
            if k in hidden and is_primary(values.get(k), threshold)
        ]
        added = False
        for leak in sorted(leaks, key=repr):
            pick = _nearest_visible(leak, values, rels, by_var, unknown)
            if pick is not None:
                unknown.add(pick)
                hidden.add(pick)
                added = True
        if not added:
            return cast("set[int]", hidden)


def rate_suppressed(
    numerator: int | None,
    denominator: int | None,
    threshold: int,
    *,
    numerator_hidden: bool = False,
    denominator_hidden: bool = False,
) -> bool:
    """A rate is hidden with its numerator or denominator, or when either is small."""
    if numerator_hidden or denominator_hidden:
        return True
    return is_primary(denominator, threshold) or is_primary(numerator, threshold)

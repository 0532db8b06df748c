"""Money rules of a förbund's year. Pure: no Django imports.

- ``largest_remainder``: whole kronor proportional to weights, always adding up to the total;
  the kronor left after rounding down go to the largest fractional parts, ties to the earlier
  entry (callers pass entries in a fixed order, so the result is deterministic).
- ``split_contributions``: the year's frame by law (5 § Finsam): Försäkringskassan half (the
  state's share, Arbetsförmedlingen's included), the region(s) a quarter, the kommuner a quarter,
  each part among its members by the förbund's key. Each member's exact share is computed first
  and all are rounded together (largest remainder), so every member is within a krona of its
  exact share and the members add up to the frame. A förbund without a region (Gotland) lets
  the kommuner carry the region's quarter too. Every member's exact share and its rounding
  difference are returned for display.
- ``closing_equity``, ``utilisation``, ``equity_limit``: the year's outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop
from stegvis.lib.parties import FK, KOMMUN, REGION
from stegvis.lib.rounding import RoundingError
from stegvis.lib.rounding import largest_remainder as largest_remainder_units


class MoneyError(ValueError):
    """Problems with the input of a money rule (Swedish messages)."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


def to_fraction(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(Decimal(str(value)))
    return Fraction(value)


@dataclass(frozen=True)
class Rounded:
    key: Any
    exact: Fraction
    amount: int

    @property
    def difference(self) -> Fraction:
        """Kronor added (+) or left out (−) by rounding."""
        return self.amount - self.exact


def round_exact(total: int, exact: Sequence[tuple[Any, Fraction]]) -> list[Rounded]:
    """Round exact amounts that add up to ``total`` to whole kronor that still add up to it.

    Ties go to the earlier entry (``stegvis.lib.rounding``'s default).
    """
    try:
        floors = largest_remainder_units(total, exact)
    except RoundingError:
        raise MoneyError([_("Beloppen går inte att avrunda till totalen.")]) from None
    return [Rounded(key, value, floors[i]) for i, (key, value) in enumerate(exact)]


def largest_remainder(total: int, weights: Sequence[tuple[Any, Any]]) -> list[Rounded]:
    """Split ``total`` whole kronor in proportion to ``weights`` (largest-remainder rounding)."""
    if total < 0:
        raise MoneyError([_("Beloppet som ska fördelas får inte vara negativt.")])
    fractions = [(key, to_fraction(w)) for key, w in weights]
    if any(w < 0 for _k, w in fractions):
        raise MoneyError([_("En fördelningsvikt får inte vara negativ.")])
    weight_sum = sum((w for _k, w in fractions), Fraction(0))
    if not fractions:
        if total:
            raise MoneyError([_("Det finns ingen att fördela beloppet på.")])
        return []
    if weight_sum == 0:
        if total:
            raise MoneyError([_("Fördelningsvikterna är alla noll.")])
        return [Rounded(k, Fraction(0), 0) for k, _w in fractions]
    exact = [(key, total * w / weight_sum) for key, w in fractions]
    return round_exact(total, exact)


# --- Contributions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    key: Any
    name: str
    kind: str  # FK, REGION or KOMMUN
    share_pct: Decimal | None = None  # within its part; None = no share in the key


@dataclass(frozen=True)
class ContributionRow:
    key: Any
    name: str
    kind: str
    part_pct: Decimal  # the part of the frame this member's group carries (50/25/25)
    share_pct: Decimal  # the member's share of its group's part
    exact: Fraction
    amount: int

    @property
    def difference(self) -> Fraction:
        return self.amount - self.exact


@dataclass(frozen=True)
class ContributionSplit:
    frame: int
    rows: list[ContributionRow]
    parts: dict[str, int]  # FK / REGION / KOMMUN → whole kronor

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)


def split_contributions(
    frame: int, *, fk: Party, regions: Sequence[Party], kommuner: Sequence[Party]
) -> ContributionSplit:
    """Each member's contribution to ``frame`` (whole kronor); the rows add up to the frame."""
    problems: list[str] = []
    if frame < 0:
        problems.append(_("Ramen får inte vara negativ."))
    if not kommuner:
        problems.append(_("Förbundet har ingen kommun som medlem under året."))
    for party in [*(kommuner if len(kommuner) > 1 else []),
                  *(regions if len(regions) > 1 else [])]:
        if party.share_pct is None:
            problems.append(
                _("%(name)s saknar andel i fördelningsnyckeln.") % {"name": party.name}
            )
        elif party.share_pct < 0:
            problems.append(
                _("Andelen för %(name)s får inte vara negativ.") % {"name": party.name}
            )
    for label, group in (
        (gettext_noop("kommunernas"), kommuner), (gettext_noop("regionernas"), regions)
    ):
        if len(group) > 1 or label == "kommunernas":
            given = [p.share_pct for p in group if p.share_pct is not None]
            if group and len(given) == len(group) and sum(given) <= 0:
                problems.append(
                    _("Fördelningsnyckeln för %(group)s fjärdedel summerar till noll.")
                    % {"group": _(label)}
                )
    if problems:
        raise MoneyError(problems)
    weights: list[tuple[str, int]] = [(FK, 2), (REGION, 1), (KOMMUN, 1)]
    if not regions:
        weights = [(FK, 2), (KOMMUN, 2)]
    part_pct = {k: Decimal(w * 25) for k, w in weights}
    members: list[tuple[Party, str, Decimal, Fraction]] = [
        (fk, FK, Decimal(100), Fraction(frame, 2))
    ]
    for kind, group in ((REGION, regions), (KOMMUN, kommuner)):
        if not group:
            continue
        shares = [
            (p, Decimal(100) if len(group) == 1 else Decimal(p.share_pct or 0)) for p in group
        ]
        share_sum = Fraction(sum((s for _p, s in shares), Decimal(0)))
        part_exact = frame * Fraction(int(part_pct[kind]), 100)
        members += [(p, kind, s, part_exact * Fraction(s) / share_sum) for p, s in shares]
    # One largest-remainder rounding over every member: each is within a krona of its exact
    # share, and together they make the frame.
    rounded = round_exact(frame, [(i, exact) for i, (*_x, exact) in enumerate(members)])
    rows = [
        ContributionRow(p.key, p.name, kind, part_pct[kind], share, exact, r.amount)
        for (p, kind, share, exact), r in zip(members, rounded, strict=True)
    ]
    parts: dict[str, int] = {}
    for row in rows:
        parts[row.kind] = parts.get(row.kind, 0) + row.amount
    return ContributionSplit(frame=frame, rows=rows, parts=parts)


# --- Outcome -------------------------------------------------------------------------------


def closing_equity(*, opening: int, contributions: int, other_income: int, costs: int) -> int:
    """Eget kapital at year end = opening + contributions + other income − costs."""
    return opening + contributions + other_income - costs


def percent(numerator: Any, denominator: Any) -> Decimal | None:
    """``numerator / denominator`` in percent with one decimal; None when the base is zero."""
    denominator = Decimal(str(denominator))
    if denominator == 0:
        return None
    return (Decimal(str(numerator)) * 100 / denominator).quantize(Decimal("0.1"))


def utilisation(*, costs: int, available: int) -> Decimal | None:
    """Share of available funds used, in percent (available = opening equity + income)."""
    return percent(costs, available)


def equity_limit(steps: Sequence[tuple[int, Decimal]], size: Any) -> Decimal | None:
    """The reasonable equity (percent of the year's contributions) for a förbund of ``size``.

    ``steps`` are ``(from_size_kr, max_pct)``; the step with the largest ``from_size`` not above
    ``size`` applies. None when the scale is empty or ``size`` is unknown.
    """
    if size is None:
        return None
    applicable = [pct for from_size, pct in sorted(steps) if Decimal(str(size)) >= from_size]
    return applicable[-1] if applicable else None


def within_scale(equity_share_pct: Decimal | None, limit: Decimal | None) -> bool:
    """Unknown equity or no limit counts as within the scale (the förbund keeps protection)."""
    return equity_share_pct is None or limit is None or equity_share_pct <= limit

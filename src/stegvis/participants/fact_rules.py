"""What one participation contributes to the indicators' fact table. Pure: no Django.

The fact writer (:mod:`stegvis.participants.facts`) computes each row with these rules; the
indicators (:mod:`stegvis.indicators.maths`, :mod:`stegvis.indicators.periods`) read the rows with
the same keys. They sit here, with the participations, so the writer needs nothing from the
indicators above it (docs/adr/0014-layers.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

# Fact columns per follow-up horizon (24 and 36 only for förbund that chose them).
FACT_FOLLOW_UP_MONTHS: Final = (3, 6, 12, 24, 36)
WORK_OR_STUDIES: Final = frozenset({"work", "studies"})

AGE_GROUPS: Final[tuple[tuple[str, int, int | None], ...]] = (
    ("under_16", 0, 15),
    ("16_19", 16, 19),
    ("20_24", 20, 24),
    ("25_29", 25, 29),
    ("30_39", 30, 39),
    ("40_49", 40, 49),
    ("50_59", 50, 59),
    ("60_64", 60, 64),
    ("65_plus", 65, None),
)
UNKNOWN_AGE: Final = "unknown"


def age_group(age: int | None) -> str:
    """The report age group of an age at start (``unknown`` when not known)."""
    if age is None:
        return UNKNOWN_AGE
    for key, low, high in AGE_GROUPS:
        if age >= low and (high is None or age <= high):
            return key
    return UNKNOWN_AGE


def join_keys(keys: Iterable[str]) -> str:
    """Multi-valued keys stored as ``,a,b,`` so that ``contains(',a,')`` finds exactly ``a``."""
    items = sorted(set(keys))
    return "," + ",".join(items) + "," if items else ""


@dataclass
class MeasurementFacts:
    """What the indicators read from one measurement."""

    categories: set[str] = field(default_factory=set)
    income_keys: set[str] = field(default_factory=set)
    no_public_support: bool = True
    extent: int = 0
    step: int | None = None

    @property
    def work_or_studies(self) -> bool:
        return bool(self.categories & WORK_OR_STUDIES)


def measurement_facts(
    activities: Iterable[tuple[str, int]],
    income: Iterable[tuple[str, bool]],
    step: int | None,
) -> MeasurementFacts:
    """From (category, extent %) pairs and (income key, is public support) pairs."""
    acts = list(activities)
    inc = list(income)
    return MeasurementFacts(
        categories={c for c, _ in acts if c},
        income_keys={k for k, _ in inc},
        no_public_support=not any(public for _, public in inc),
        extent=sum(pct for c, pct in acts if c in WORK_OR_STUDIES),
        step=step,
    )

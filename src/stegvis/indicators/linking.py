"""Which counts of one scope and period are the same, and which add up to which. Pure.

Every table built for one scope and period names its counts with the keys below. A count shown
in two places carries the same key (one variable), so e.g. the Standardrapport's
``participants_ended`` *is* the headline's. The relations *between* tables are declared in
:data:`LINKS`, each as a readable rule; :func:`relations` expands them over the rows present.
Within-table relations (K + M = T, total rows) come from the tables' shape (``tables.py``).

Declaring a relation that does not hold for some period (e.g. Kostnadsrapport rows against the
Insatsrapport for a period of several years) is safe: it can only hide more. Missing a true
relation is a leak, which is what the property tests in ``tests/indicators`` look for.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from stegvis.indicators.maths import FOLLOW_UP_MONTHS
from stegvis.indicators.protection import Relation

KMT: Final = ("K", "M", "T")

# --- the keys (variables) -----------------------------------------------------------------


def headline(key: str, sex: str) -> Hashable:
    """A headline count (participants_active, ..., volume_count) or a rate's numerator."""
    return ("headline", key, sex)


def cohort(sex: str) -> Hashable:
    """The outcome cohort: denominator of the cohort rates and the median."""
    return ("cohort", sex)


def step_both(sex: str) -> Hashable:
    return ("step_both", sex)


def fu_due(k: int, sex: str) -> Hashable:
    return ("fu_due", k, sex)


def fu_measured(k: int, sex: str) -> Hashable:
    return ("fu_measured", k, sex)


def fu_part(k: int, part: str, sex: str) -> Hashable:
    """A part of the k-month follow-up's coverage: ``coach``, ``self_reported`` (measured by
    source), ``not_reached``, ``declined`` (closed) or ``open``; and, splitting *due* the other
    way, ``register`` (register outcome for the month end + k) and ``register_missing``."""
    return ("fu_part", k, part, sex)


def cost_participants() -> Hashable:
    """The denominator of the headline cost per participant (T only)."""
    return ("cost_participants", "T")


def insats_identified(pk: int, sex: str) -> Hashable:
    return ("insats", pk, "identified", sex)


def insats_anonymous(pk: int, sex: str) -> Hashable:
    return ("insats", pk, "anonymous", sex)


def insats_volume(pk: int) -> Hashable:
    return ("insats", pk, "volume", "T")


def cost_row(pk: int, year: int, sex: str) -> Hashable:
    return ("cost", pk, year, sex)


def kommun_active(code: str, sex: str) -> Hashable:
    return ("kommun", code, sex)


def month_started(month: int, sex: str) -> Hashable:
    return ("month", month, sex)


# --- the rows present in one scope and period --------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Row keys of the tables that are linked: insatser (Insatsrapport), (insats, year) rows of
    the Kostnadsrapport, kommuner of Täckning, whether months (start page) are shown, the
    follow-up horizons of the Uppföljningsrapport and those whose coverage shows the register."""

    insatser: Sequence[int] = ()
    cost_rows: Sequence[tuple[int, int]] = ()
    kommuner: Sequence[str] = ()
    months: bool = False
    follow_ups: Sequence[int] = FOLLOW_UP_MONTHS
    register_coverage: Sequence[int] = ()


@dataclass(frozen=True)
class Link:
    """A rule: for each sex, ``total`` equals the sum of ``parts`` over the layout's rows."""

    description: str
    expand: Callable[[Layout, str], Iterable[tuple[Hashable, tuple[Hashable, ...]]]]


def _one(total: Hashable, parts: Iterable[Hashable]) -> list[tuple[Hashable, tuple[Hashable, ...]]]:
    return [(total, tuple(parts))]


LINKS: Final[tuple[Link, ...]] = (
    Link(
        "Insatsrapportens identifierade deltagare per insats summerar till de aktiva "
        "deltagandena i huvudindikatorerna",
        lambda lay, s: _one(headline("participants_active", s),
                            (insats_identified(i, s) for i in lay.insatser)),
    ),
    Link(
        "Insatsrapportens anonyma deltagare summerar till huvudindikatorns anonyma",
        lambda lay, s: _one(headline("anonymous_started", s),
                            (insats_anonymous(i, s) for i in lay.insatser)),
    ),
    Link(
        "Insatsrapportens volym summerar till huvudindikatorns volymräkning",
        lambda lay, s: _one(headline("volume_count", "T"),
                            (insats_volume(i) for i in lay.insatser)) if s == "T" else [],
    ),
    Link(
        "Kostnadsrapportens deltagare per insats och år = identifierade + anonyma i "
        "Insatsrapporten",
        lambda lay, s: [
            (cost_row(i, y, s), (insats_identified(i, s), insats_anonymous(i, s)))
            for i, y in lay.cost_rows
        ],
    ),
    Link(
        "Kostnadsrapportens deltagare summerar till nämnaren i kostnad per deltagare",
        lambda lay, s: _one(cost_participants(), (cost_row(i, y, "T") for i, y in lay.cost_rows))
        if s == "T" else [],
    ),
    Link(
        "Nämnaren i kostnad per deltagare = aktiva identifierade + anonyma",
        lambda lay, s: _one(cost_participants(), (headline("participants_active", "T"),
                                                  headline("anonymous_started", "T")))
        if s == "T" else [],
    ),
    Link(
        "Täckningens rader (bostadskommuner) summerar till de aktiva deltagandena",
        lambda lay, s: _one(headline("participants_active", s),
                            (kommun_active(k, s) for k in lay.kommuner)),
    ),
    Link(
        "Uppföljningens mätta = mätta av deltagaransvarig + självrapporterade",
        lambda lay, s: [(fu_measured(k, s), (fu_part(k, "coach", s),
                                             fu_part(k, "self_reported", s)))
                        for k in lay.follow_ups],
    ),
    Link(
        "Uppföljningens antal som ska följas upp = mätta + stängda (ej nådda, avböjt) + öppna",
        lambda lay, s: [(fu_due(k, s), (fu_measured(k, s), fu_part(k, "not_reached", s),
                                        fu_part(k, "declined", s), fu_part(k, "open", s)))
                        for k in lay.follow_ups],
    ),
    Link(
        "Uppföljningens antal som ska följas upp = med registeruppgift för månaden + utan",
        lambda lay, s: [(fu_due(k, s), (fu_part(k, "register", s),
                                        fu_part(k, "register_missing", s)))
                        for k in lay.register_coverage],
    ),
    Link(
        "Påbörjade per månad summerar till årets påbörjade deltaganden",
        lambda lay, s: _one(headline("participants_started", s),
                            (month_started(m, s) for m in range(1, 13))) if lay.months else [],
    ),
)


def relations(layout: Layout) -> list[Relation]:
    """Every cross-table relation of one scope and period."""
    out = []
    for link in LINKS:
        for s in KMT:
            for total, parts in link.expand(layout, s):
                out.append(Relation(total, parts, link.description))
    return out

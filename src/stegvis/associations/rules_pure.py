"""Pure rules for förbund: organisationsnummer, membership rules, funding keys. No Django imports.

Messages are Swedish templates marked with ``_`` (an identity marker, so ``makemessages`` finds
them); the service layer translates each template with gettext and then fills in the parameters:
``gettext(v.template) % v.params``. ``str(violation)`` gives the untranslated Swedish text.

Decisions recorded here (see also the services module):

- The area of a förbund is not versioned, so the membership rules are checked from a given date
  onwards (the founding date when a förbund is created, today for later changes) at every date
  where the set of members changes. History before that date is not re-validated.
- The funding key applies to the member organisations on the key date (today, clamped to the
  förbund's lifetime). A kommun that is in the area only with districts (e.g. a part of
  Göteborg) counts with its **whole** population 16–64 in the population key: SCB figures per
  district are not shipped. Use the custom key (egen fördelning) to agree on another split.
- Shares are stored with four decimals; rounding uses the largest-remainder method so that the
  stored shares always add up to exactly 100.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

GOTLAND = "0980"
KOMMUN = "KOMMUN"
REGION = "REGION"
FK = "FK"
AF = "AF"
SHARE_TOLERANCE = Decimal("0.01")
SHARE_QUANTUM = Decimal("0.0001")
POPULATION_AGES = range(16, 65)  # 16..64 inclusive


def _(message: str) -> str:
    """Marker for message extraction; the service layer translates with gettext."""
    return message


@dataclass(frozen=True)
class Violation:
    """One broken rule: a Swedish message template, its parameters and the field concerned."""

    code: str
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    field: str | None = None

    def __str__(self) -> str:
        return self.template % dict(self.params)


# --- Organisationsnummer -------------------------------------------------------------------

_ORG_NUMBER = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")


def luhn_ok(digits: str) -> bool:
    """Luhn (modulus 10) check over a string of digits, the last one being the check digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def org_number_violations(value: str, field_name: str = "org_number") -> list[Violation]:
    """Problems with an organisationsnummer of a legal person (empty list: it is valid)."""
    text = (value or "").strip().replace(" ", "")
    m = _ORG_NUMBER.match(text)
    if not m:
        return [
            Violation(
                "org_number_format",
                _(
                    "Organisationsnummer ska ha tio siffror i formen NNNNNN-NNNN "
                    "(fick ”%(value)s”)."
                ),
                {"value": value},
                field_name,
            )
        ]
    digits = m.group(1) + m.group(2)
    problems = []
    if int(digits[2]) < 2:
        problems.append(
            Violation(
                "org_number_not_legal_person",
                _(
                    "Organisationsnumret %(value)s tillhör inte en juridisk person "
                    "(tredje siffran ska vara 2 eller högre)."
                ),
                {"value": f"{digits[:6]}-{digits[6:]}"},
                field_name,
            )
        )
    if not luhn_ok(digits):
        problems.append(
            Violation(
                "org_number_check_digit",
                _("Organisationsnumret %(value)s har fel kontrollsiffra."),
                {"value": f"{digits[:6]}-{digits[6:]}"},
                field_name,
            )
        )
    return problems


def normalise_org_number(value: str) -> str:
    """``NNNNNN-NNNN`` for a valid organisationsnummer; raises ValueError otherwise."""
    problems = org_number_violations(value)
    if problems:
        raise ValueError(str(problems[0]))
    m = _ORG_NUMBER.match(value.strip().replace(" ", ""))
    assert m is not None
    return f"{m.group(1)}-{m.group(2)}"


# --- Membership rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFact:
    """One membership period as the rules see it (``valid_to`` inclusive, None = open)."""

    organisation_id: Any
    name: str
    kind: str
    municipality_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def change_dates(
    memberships: Iterable[MemberFact],
    *,
    since: dt.date,
    until: dt.date | None = None,
) -> list[dt.date]:
    """The dates from ``since`` (up to ``until``) on which the set of members can change."""
    dates = {since}
    for m in memberships:
        dates.add(m.valid_from)
        if m.valid_to is not None:
            dates.add(m.valid_to + dt.timedelta(days=1))
    return sorted(d for d in dates if d >= since and (until is None or d <= until))


def overlap_violations(memberships: Sequence[MemberFact]) -> list[Violation]:
    """The same organisation may not have overlapping membership periods in one förbund."""
    problems = []
    by_org: dict[Any, list[MemberFact]] = {}
    for m in memberships:
        by_org.setdefault(m.organisation_id, []).append(m)
    for periods in by_org.values():
        periods = sorted(periods, key=lambda p: p.valid_from)
        for earlier, later in itertools.pairwise(periods):
            if earlier.valid_to is None or later.valid_from <= earlier.valid_to:
                problems.append(
                    Violation(
                        "membership_overlap",
                        _(
                            "Medlemsperioderna för %(name)s överlappar varandra "
                            "(%(first)s och %(second)s)."
                        ),
                        {
                            "name": later.name,
                            "first": _period(earlier),
                            "second": _period(later),
                        },
                        "memberships",
                    )
                )
    return problems


def _period(m: MemberFact) -> str:
    return f"{m.valid_from.isoformat()}–{m.valid_to.isoformat() if m.valid_to else ''}"


def area_kommun_codes(area: Iterable[tuple[str, str]]) -> set[str]:
    return {code for code, _district in area}


def rules_on(
    day: dt.date, area_codes: set[str], memberships: Sequence[MemberFact], *, check_outside: bool
) -> list[Violation]:
    """Membership rules on one date. ``check_outside``: also refuse kommuner outside the area."""
    active = [m for m in memberships if m.active_on(day)]
    kinds = {m.kind for m in active}
    date = day.isoformat()
    problems = []
    if FK not in kinds:
        problems.append(
            Violation(
                "missing_fk",
                _("Försäkringskassan måste vara medlem (saknas den %(date)s)."),
                {"date": date},
                "memberships",
            )
        )
    if AF not in kinds:
        problems.append(
            Violation(
                "missing_af",
                _("Arbetsförmedlingen måste vara medlem (saknas den %(date)s)."),
                {"date": date},
                "memberships",
            )
        )
    if KOMMUN not in kinds:
        problems.append(
            Violation(
                "missing_kommun",
                _("Minst en kommun måste vara medlem (saknas den %(date)s)."),
                {"date": date},
                "memberships",
            )
        )
    if REGION not in kinds and area_codes != {GOTLAND}:
        problems.append(
            Violation(
                "missing_region",
                _(
                    "Minst en region måste vara medlem (saknas den %(date)s). Bara ett förbund "
                    "vars område är enbart Gotland kan sakna region."
                ),
                {"date": date},
                "memberships",
            )
        )
    member_codes = {m.municipality_code for m in active if m.kind == KOMMUN}
    for code in sorted(area_codes - member_codes):
        problems.append(
            Violation(
                "area_kommun_not_member",
                _(
                    "Kommun %(code)s ingår i området men ingen medlemsorganisation för kommunen "
                    "är medlem (den %(date)s)."
                ),
                {"code": code, "date": date},
                "area",
            )
        )
    if check_outside:
        for m in active:
            if m.kind == KOMMUN and m.municipality_code not in area_codes:
                problems.append(
                    Violation(
                        "kommun_outside_area",
                        _(
                            "%(name)s är medlem men kommun %(code)s ingår inte i förbundets "
                            "område (den %(date)s)."
                        ),
                        {"name": m.name, "code": m.municipality_code, "date": date},
                        "area",
                    )
                )
    return problems


def membership_violations(
    area: Iterable[tuple[str, str]],
    memberships: Sequence[MemberFact],
    *,
    since: dt.date,
    until: dt.date | None = None,
    outside_from: dt.date | None = None,
) -> list[Violation]:
    """Every membership rule, at every date from ``since`` where membership changes.

    The same problem found on several dates is reported once, with the first date.
    ``outside_from``: from which date a kommun member outside the (current, unversioned) area is
    an error; defaults to ``since``.
    """
    codes = area_kommun_codes(area)
    problems: list[Violation] = []
    if not codes:
        problems.append(
            Violation("area_empty", _("Området måste omfatta minst en kommun."), {}, "area")
        )
    problems.extend(overlap_violations(memberships))
    seen: set[tuple[Any, ...]] = set()
    outside_from = outside_from or since
    for day in change_dates(memberships, since=since, until=until):
        for v in rules_on(day, codes, memberships, check_outside=day >= outside_from):
            key = (v.code, *sorted((k, str(p)) for k, p in v.params.items() if k != "date"))
            if key not in seen:
                seen.add(key)
                problems.append(v)
    return problems


# --- Funding key ---------------------------------------------------------------------------


def round_shares(weights: Mapping[Any, Decimal | int]) -> dict[Any, Decimal]:
    """Percentages proportional to ``weights``, four decimals, adding up to exactly 100."""
    total = sum(Decimal(w) for w in weights.values())
    if not weights or total <= 0:
        return {}
    units = 100 * 10**4  # hundredths of a hundredth of a percent
    exact = {k: Decimal(w) * units / total for k, w in weights.items()}
    floors = {k: int(v.to_integral_value(rounding=ROUND_DOWN)) for k, v in exact.items()}
    remaining = units - sum(floors.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - floors[k]), str(k)))[:remaining]:
        floors[k] += 1
    return {k: (Decimal(v) * SHARE_QUANTUM).quantize(SHARE_QUANTUM) for k, v in floors.items()}


def equal_shares(keys: Iterable[Any]) -> dict[Any, Decimal]:
    return round_shares({k: 1 for k in keys})


def population_shares(population: Mapping[Any, int]) -> dict[Any, Decimal]:
    """Shares in proportion to population 16–64 (keys: organisations or kommunkoder)."""
    return round_shares(population)


def share_violations(
    shares: Mapping[Any, Decimal | None],
    members: Mapping[Any, str],
    *,
    field_name: str = "custom_shares",
    label: str = "kommunernas",
    names: Mapping[Any, str] | None = None,
) -> list[Violation]:
    """Custom shares: every member has one, no non-member has one, each 0–100, sum 100 ± 0.01.

    ``members`` maps each member key to a display name; ``label`` names the quarter in messages.
    """
    problems = []
    for key, name in members.items():
        if key not in shares or shares[key] is None:
            problems.append(
                Violation(
                    "share_missing",
                    _("%(name)s saknar andel i fördelningsnyckeln."),
                    {"name": name},
                    field_name,
                )
            )
    for key in shares:
        if key not in members:
            problems.append(
                Violation(
                    "share_for_non_member",
                    _("Andel angiven för %(key)s, som inte är medlem i förbundet."),
                    {"key": (names or {}).get(key, str(key))},
                    field_name,
                )
            )
    values = [v for v in shares.values() if v is not None]
    for key, value in shares.items():
        if value is not None and not (Decimal(0) <= value <= Decimal(100)):
            problems.append(
                Violation(
                    "share_range",
                    _("Andelen för %(name)s måste vara mellan 0 och 100 procent."),
                    {"name": members.get(key, key)},
                    field_name,
                )
            )
    total = sum(values, Decimal(0))
    if members and abs(total - Decimal(100)) > SHARE_TOLERANCE:
        problems.append(
            Violation(
                "share_sum",
                _(
                    "Andelarna för %(label)s fjärdedel ska bli 100 procent tillsammans "
                    "(nu %(total)s)."
                ),
                {"label": label, "total": f"{total.normalize():f}"},
                field_name,
            )
        )
    return problems

"""Pure rules for förbund: organisationsnummer, membership rules, funding keys. No Django imports.

Each rule returns a list of ``stegvis.lib.problems.Problem``. Messages are Swedish templates
marked with ``_`` (an identity marker, so ``makemessages`` finds them); the service layer's
collector (``stegvis.lib.errors.Errors``) translates each template with gettext and then fills
in the parameters. ``str(problem)`` gives the untranslated Swedish text.

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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stegvis.lib import luhn
from stegvis.lib.parties import AF, FK, KOMMUN, REGION
from stegvis.lib.problems import Problem
from stegvis.lib.rounding import largest_remainder

GOTLAND = "0980"
SHARE_TOLERANCE = Decimal("0.01")
SHARE_QUANTUM = Decimal("0.0001")
POPULATION_AGES = range(16, 65)  # 16..64 inclusive


def _(message: str) -> str:
    """Marker for message extraction; the service layer translates with gettext."""
    return message


# --- Organisationsnummer -------------------------------------------------------------------

_ORG_NUMBER = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")


def org_number_violations(value: str, field_name: str = "org_number") -> list[Problem]:
    """Problems with an organisationsnummer of a legal person (empty list: it is valid)."""
    text = (value or "").strip().replace(" ", "")
    m = _ORG_NUMBER.match(text)
    if not m:
        return [
            Problem(
                field=field_name,
                message=_(
                    "Organisationsnummer ska ha tio siffror i formen NNNNNN-NNNN "
                    "(fick ”%(value)s”)."
                ),
                params={"value": value},
                code="org_number_format",
            )
        ]
    digits = m.group(1) + m.group(2)
    problems = []
    if int(digits[2]) < 2:
        problems.append(
            Problem(
                field=field_name,
                message=_(
                    "Organisationsnumret %(value)s tillhör inte en juridisk person "
                    "(tredje siffran ska vara 2 eller högre)."
                ),
                params={"value": f"{digits[:6]}-{digits[6:]}"},
                code="org_number_not_legal_person",
            )
        )
    if not luhn.is_valid(digits):
        problems.append(
            Problem(
                field=field_name,
                message=_("Organisationsnumret %(value)s har fel kontrollsiffra."),
                params={"value": f"{digits[:6]}-{digits[6:]}"},
                code="org_number_check_digit",
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


def overlap_violations(memberships: Sequence[MemberFact]) -> list[Problem]:
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
                    Problem(
                        field="memberships",
                        message=_(
                            "Medlemsperioderna för %(name)s överlappar varandra "
                            "(%(first)s och %(second)s)."
                        ),
                        params={
                            "name": later.name,
                            "first": _period(earlier),
                            "second": _period(later),
                        },
                        code="membership_overlap",
                    )
                )
    return problems


def _period(m: MemberFact) -> str:
    return f"{m.valid_from.isoformat()}–{m.valid_to.isoformat() if m.valid_to else ''}"


def area_kommun_codes(area: Iterable[tuple[str, str]]) -> set[str]:
    return {code for code, _district in area}


def rules_on(
    day: dt.date, area_codes: set[str], memberships: Sequence[MemberFact], *, check_outside: bool
) -> list[Problem]:
    """Membership rules on one date. ``check_outside``: also refuse kommuner outside the area."""
    active = [m for m in memberships if m.active_on(day)]
    kinds = {m.kind for m in active}
    date = day.isoformat()
    problems = []
    if FK not in kinds:
        problems.append(
            Problem(
                field="memberships",
                message=_("Försäkringskassan måste vara medlem (saknas den %(date)s)."),
                params={"date": date},
                code="missing_fk",
            )
        )
    if AF not in kinds:
        problems.append(
            Problem(
                field="memberships",
                message=_("Arbetsförmedlingen måste vara medlem (saknas den %(date)s)."),
                params={"date": date},
                code="missing_af",
            )
        )
    if KOMMUN not in kinds:
        problems.append(
            Problem(
                field="memberships",
                message=_("Minst en kommun måste vara medlem (saknas den %(date)s)."),
                params={"date": date},
                code="missing_kommun",
            )
        )
    if REGION not in kinds and area_codes != {GOTLAND}:
        problems.append(
            Problem(
                field="memberships",
                message=_(
                    "Minst en region måste vara medlem (saknas den %(date)s). Bara ett förbund "
                    "vars område är enbart Gotland kan sakna region."
                ),
                params={"date": date},
                code="missing_region",
            )
        )
    member_codes = {m.municipality_code for m in active if m.kind == KOMMUN}
    for code in sorted(area_codes - member_codes):
        problems.append(
            Problem(
                field="area",
                message=_(
                    "Kommun %(code)s ingår i området men ingen medlemsorganisation för kommunen "
                    "är medlem (den %(date)s)."
                ),
                params={"code": code, "date": date},
                code="area_kommun_not_member",
            )
        )
    if check_outside:
        for m in active:
            if m.kind == KOMMUN and m.municipality_code not in area_codes:
                problems.append(
                    Problem(
                        field="area",
                        message=_(
                            "%(name)s är medlem men kommun %(code)s ingår inte i förbundets "
                            "område (den %(date)s)."
                        ),
                        params={"name": m.name, "code": m.municipality_code, "date": date},
                        code="kommun_outside_area",
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
) -> list[Problem]:
    """Every membership rule, at every date from ``since`` where membership changes.

    The same problem found on several dates is reported once, with the first date.
    ``outside_from``: from which date a kommun member outside the (current, unversioned) area is
    an error; defaults to ``since``.
    """
    codes = area_kommun_codes(area)
    problems: list[Problem] = []
    if not codes:
        problems.append(
            Problem(
                field="area", message=_("Området måste omfatta minst en kommun."), code="area_empty"
            )
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
    exact = [(k, Decimal(w) * units / total) for k, w in weights.items()]
    # Ties by the key's text: the weights come as a mapping whose order must not matter.
    floors = largest_remainder(units, exact, tie_key=str)
    return {
        k: (Decimal(v) * SHARE_QUANTUM).quantize(SHARE_QUANTUM)
        for (k, _exact), v in zip(exact, floors, strict=True)
    }


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
) -> list[Problem]:
    """Custom shares: every member has one, no non-member has one, each 0–100, sum 100 ± 0.01.

    ``members`` maps each member key to a display name; ``label`` names the quarter in messages.
    """
    problems = []
    for key, name in members.items():
        if key not in shares or shares[key] is None:
            problems.append(
                Problem(
                    field=field_name,
                    message=_("%(name)s saknar andel i fördelningsnyckeln."),
                    params={"name": name},
                    code="share_missing",
                )
            )
    for key in shares:
        if key not in members:
            problems.append(
                Problem(
                    field=field_name,
                    message=_("Andel angiven för %(key)s, som inte är medlem i förbundet."),
                    params={"key": (names or {}).get(key, str(key))},
                    code="share_for_non_member",
                )
            )
    values = [v for v in shares.values() if v is not None]
    for key, value in shares.items():
        if value is not None and not (Decimal(0) <= value <= Decimal(100)):
            problems.append(
                Problem(
                    field=field_name,
                    message=_("Andelen för %(name)s måste vara mellan 0 och 100 procent."),
                    params={"name": members.get(key, key)},
                    code="share_range",
                )
            )
    total = sum(values, Decimal(0))
    if members and abs(total - Decimal(100)) > SHARE_TOLERANCE:
        problems.append(
            Problem(
                field=field_name,
                message=_(
                    "Andelarna för %(label)s fjärdedel ska bli 100 procent tillsammans "
                    "(nu %(total)s)."
                ),
                params={"label": label, "total": f"{total.normalize():f}"},
                code="share_sum",
            )
        )
    return problems

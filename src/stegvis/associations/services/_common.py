"""What the association services share: the error collector, the permission checks run before the
transaction, and the validation of org numbers, areas and membership periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.associations import rules_pure as rp
from stegvis.associations.models import (
    Association,
    Membership,
    Organisation,
)
from stegvis.lib.errors import Errors
from stegvis.reference.models import Municipality

AreaInput = Iterable[tuple[str, str]]
MembershipInput = Iterable[tuple[Organisation, dt.date, dt.date | None]]
SharesInput = Mapping[Any, Any] | None


# --- Permissions ---------------------------------------------------------------------------


def _require_system_admin(actor: Any) -> None:
    if not scope.has_role(actor, Role.SYSTEM_ADMIN):
        scope.deny(actor, Capability.MANAGE_ASSOCIATION, None)


def _require_manage(actor: Any, association: Association) -> None:
    scope.require(actor, Capability.MANAGE_ASSOCIATION, association)


def _system_admin_check(kwargs: dict[str, Any]) -> None:
    _require_system_admin(kwargs["actor"])


def _manage_check(kwargs: dict[str, Any]) -> None:
    _require_manage(kwargs["actor"], kwargs["association"])


def _manage_membership_check(kwargs: dict[str, Any]) -> None:
    _require_manage(kwargs["actor"], kwargs["membership"].association)


# --- Helpers -------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def key_date(founded: dt.date, dissolved: dt.date | None) -> dt.date:
    """The date whose members the funding key is for: today, within the förbund's lifetime."""
    day = max(_today(), founded)
    return min(day, dissolved) if dissolved else day


def _fact(org: Organisation, valid_from: dt.date, valid_to: dt.date | None) -> rp.MemberFact:
    return rp.MemberFact(
        organisation_id=org.pk,
        name=org.name,
        kind=org.kind,
        municipality_code=org.municipality_id,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def _facts(memberships: Iterable[Membership]) -> list[rp.MemberFact]:
    return [_fact(m.organisation, m.valid_from, m.valid_to) for m in memberships]


def _check_org_number(errors: Errors, value: str, field: str = "org_number") -> str:
    problems = rp.org_number_violations(value, field)
    errors.extend(problems)
    return "" if problems else rp.normalise_org_number(value)


def _clean_area(errors: Errors, area: AreaInput) -> list[tuple[Municipality, str]]:
    """Validate kommunkoder and districts; return (Municipality, district) pairs."""
    pairs = [((code or "").strip(), (district or "").strip()) for code, district in area]
    known = Municipality.objects.in_bulk([c for c, _d in pairs])
    result: list[tuple[Municipality, str]] = []
    seen: set[tuple[str, str]] = set()
    for code, district in pairs:
        if not (len(code) == 4 and code.isdigit()):
            errors.add(
                "area", gettext("Ogiltig kommunkod ”%(code)s”: ange fyra siffror.") % {"code": code}
            )
            continue
        if code not in known:
            errors.add("area", gettext("Okänd kommunkod ”%(code)s”.") % {"code": code})
            continue
        if (code, district) in seen:
            errors.add(
                "area",
                gettext("Kommun %(code)s%(district)s anges mer än en gång.")
                % {"code": code, "district": f" ({district})" if district else ""},
            )
            continue
        seen.add((code, district))
        result.append((known[code], district))
    whole = {c for c, d in seen if not d}
    for code in sorted({c for c, d in seen if d} & whole):
        errors.add(
            "area",
            gettext("Kommun %(code)s anges både som hel kommun och med kommundelar.")
            % {"code": code},
        )
    return result


def _check_period(
    errors: Errors,
    name: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    founded: dt.date | None,
    dissolved: dt.date | None,
) -> bool:
    ok = True
    if valid_from is None:
        errors.add(
            "memberships", gettext("Ange från vilket datum %(name)s är medlem.") % {"name": name}
        )
        return False
    if valid_to is not None and valid_to < valid_from:
        errors.add(
            "memberships",
            gettext("Medlemskapet för %(name)s kan inte sluta före det börjar.") % {"name": name},
        )
        ok = False
    if founded is not None and valid_from < founded:
        errors.add(
            "memberships",
            gettext("Medlemskapet för %(name)s kan inte börja före förbundet bildades (%(date)s).")
            % {"name": name, "date": founded.isoformat()},
        )
        ok = False
    if dissolved is not None and valid_from > dissolved:
        errors.add(
            "memberships",
            gettext("Medlemskapet för %(name)s kan inte börja efter att förbundet upplöstes.")
            % {"name": name},
        )
        ok = False
    return ok

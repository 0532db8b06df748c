"""Förbund: creating one (complete and lawful at once) and editing its details and lifetime.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from stegvis.associations import rules_pure as rp
from stegvis.associations.models import (
    AreaPart,
    Association,
    Membership,
    Organisation,
)
from stegvis.associations.services._common import (
    AreaInput,
    MembershipInput,
    SharesInput,
    _check_org_number,
    _check_period,
    _clean_area,
    _fact,
    _manage_check,
    _system_admin_check,
    key_date,
)
from stegvis.associations.services._keys import (
    _compute_key,
    _current_state,
    _locked,
    _members_on,
    _recheck_and_rekey,
    _shares_detail,
    _store_key,
    _triples,
)
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib import parties
from stegvis.lib.errors import Errors
from stegvis.lib.services import service
from stegvis.reference.models import Municipality

# --- Förbund -------------------------------------------------------------------------------


def _check_details(
    errors: Errors, name: str, org_number: str, founded: dt.date | None,
    dissolved: dt.date | None,
) -> tuple[str, str]:
    """The förbund's name, org number (unique) and lifetime; returns (name, normalised)."""
    name = (name or "").strip()
    if not name:
        errors.add("name", gettext("Ange förbundets namn."))
    normalised = _check_org_number(errors, org_number)
    if normalised and Association.objects.filter(org_number=normalised).exists():
        errors.add(
            "org_number",
            gettext("Det finns redan ett samordningsförbund med organisationsnumret %(value)s.")
            % {"value": normalised},
        )
    if founded is None:
        errors.add("founded", gettext("Ange när förbundet bildades."))
    if founded and dissolved and dissolved < founded:
        errors.add("dissolved", gettext("Förbundet kan inte upplösas före det bildades."))
    return name, normalised


def _check_members_and_key(
    errors: Errors,
    *,
    founded: dt.date,
    dissolved: dt.date | None,
    area_pairs: list[tuple[Municipality, str]],
    pairs: list[tuple[Organisation, rp.MemberFact]],
    funding_key_method: str,
    funding_key_population_year: int | None,
    custom_shares: SharesInput,
    region_shares: SharesInput,
) -> tuple[dict[int, Decimal], int | None]:
    """The membership rules since founding, today's kommun members inside the area, and the
    funding key of today's members: (shares, population year used)."""
    area_codes = [(m.pk, d) for m, d in area_pairs]
    day = key_date(founded, dissolved if dissolved and dissolved >= founded else None)
    errors.extend(
        rp.membership_violations(
            area_codes, [f for _o, f in pairs], since=founded, until=dissolved
        )
    )
    # Today's kommun members must lie in the area.
    codes = {c for c, _d in area_codes}
    for org in _members_on(pairs, day, parties.KOMMUN):
        if org.municipality_id not in codes:
            errors.add(
                "area",
                gettext("%(name)s är medlem men kommun %(code)s ingår inte i området.")
                % {"name": org.name, "code": org.municipality_id},
            )
    return _compute_key(
        errors,
        method=funding_key_method,
        population_year=funding_key_population_year,
        kommun_members=_members_on(pairs, day, parties.KOMMUN),
        region_members=_members_on(pairs, day, parties.REGION),
        custom_shares=custom_shares,
        region_shares=region_shares,
    )


@service(_system_admin_check)
def association_create(
    *,
    actor: Any,
    name: str,
    org_number: str,
    founded: dt.date | None,
    dissolved: dt.date | None = None,
    area: AreaInput,
    memberships: MembershipInput,
    funding_key_method: str,
    funding_key_population_year: int | None = None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
    is_demo: bool = False,
) -> Association:
    """Create a complete, lawful förbund; every problem is reported at once, nothing is saved."""
    errors = Errors()
    name, normalised = _check_details(errors, name, org_number, founded, dissolved)
    area_pairs = _clean_area(errors, area)
    members = list(memberships)
    pairs: list[tuple[Organisation, rp.MemberFact]] = []
    for org, valid_from, valid_to in members:
        if _check_period(errors, org.name, valid_from, valid_to, founded, dissolved):
            pairs.append((org, _fact(org, valid_from, valid_to)))
    if founded is not None:
        shares, year_used = _check_members_and_key(
            errors, founded=founded, dissolved=dissolved, area_pairs=area_pairs, pairs=pairs,
            funding_key_method=funding_key_method,
            funding_key_population_year=funding_key_population_year,
            custom_shares=custom_shares, region_shares=region_shares,
        )
    errors.raise_if_any()
    assert founded is not None
    association = Association.objects.create(
        name=name,
        org_number=normalised,
        founded=founded,
        dissolved=dissolved,
        funding_key_method=funding_key_method,
        funding_key_population_year=year_used,
        is_demo=is_demo,
    )
    AreaPart.objects.bulk_create(
        [AreaPart(association=association, municipality=m, district=d) for m, d in area_pairs]
    )
    Membership.objects.bulk_create(
        [
            Membership(association=association, organisation=org, valid_from=f, valid_to=t)
            for org, f, t in members
        ]
    )
    _store_key(association, shares)
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=association,
        association=association,
        details={
            "name": name,
            "area": [f"{m.pk} {d}".strip() for m, d in area_pairs],
            "members": [org.pk for org, _f, _t in members],
            "funding_key_method": funding_key_method,
            "funding_key_population_year": year_used,
            "shares": _shares_detail(shares),
        },
    )
    return association


@service(_manage_check)
def association_update(
    *,
    actor: Any,
    association: Association,
    name: str,
    org_number: str,
    founded: dt.date,
    dissolved: dt.date | None = None,
) -> Association:
    """Change a förbund's name, organisationsnummer and dates."""
    association = _locked(association)
    errors = Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", gettext("Ange förbundets namn."))
    normalised = _check_org_number(errors, org_number)
    if (
        normalised
        and Association.objects.filter(org_number=normalised).exclude(pk=association.pk).exists()
    ):
        errors.add(
            "org_number",
            gettext("Det finns redan ett samordningsförbund med organisationsnumret %(value)s.")
            % {"value": normalised},
        )
    if dissolved and dissolved < founded:
        errors.add("dissolved", gettext("Förbundet kan inte upplösas före det bildades."))
    area, memberships = _current_state(association)
    for m in memberships:
        if m.valid_from < founded:
            errors.add(
                "founded",
                gettext("%(name)s är medlem från %(date)s, före det nya bildandedatumet.")
                % {"name": m.organisation.name, "date": m.valid_from.isoformat()},
            )
    errors.raise_if_any()
    before = {
        "name": association.name,
        "founded": association.founded.isoformat(),
        "dissolved": association.dissolved.isoformat() if association.dissolved else "",
    }
    association.name = name
    association.org_number = normalised
    association.founded = founded
    association.dissolved = dissolved
    shares, year = _recheck_and_rekey(
        errors, association, area=area, memberships=_triples(memberships)
    )
    errors.raise_if_any()
    association.funding_key_population_year = year
    association.save()
    _store_key(association, shares)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=association,
        association=association,
        details={
            "before": before,
            "after": {
                "name": name,
                "founded": founded.isoformat(),
                "dissolved": dissolved.isoformat() if dissolved else "",
            },
        },
    )
    return association



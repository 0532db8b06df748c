"""The funding key's computation and storage, and the recheck every change of a förbund's members,
area or lifetime ends with: membership rules from today onwards, then a new key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from stegvis.associations import rules_pure as rp
from stegvis.associations.models import (
    Association,
    FundingKeyMethod,
    FundingShare,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.associations.selectors import latest_population_year, population_16_64
from stegvis.associations.services._common import SharesInput, _fact, _today, key_date
from stegvis.lib import parties
from stegvis.lib.errors import Errors


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        return None


def _normalise_share_keys(
    errors: Errors, shares: Mapping[Any, Any], members: Sequence[Organisation], field: str
) -> dict[Any, Decimal | None]:
    """Keys may be Organisation objects, organisation ids or kommunkoder; values numbers."""
    by_code = {o.municipality_id: o.pk for o in members if o.municipality_id}
    result: dict[Any, Decimal | None] = {}
    for key, value in shares.items():
        if isinstance(key, Organisation):
            k: Any = key.pk
        elif isinstance(key, str) and not key.isdigit():
            k = key
        elif isinstance(key, str) and len(key) == 4:
            k = by_code.get(key, f"kommun {key}")
        else:
            k = int(key)
        number = _to_decimal(value)
        if number is None and value not in (None, ""):
            errors.add(field, gettext("Andelen ”%(value)s” är inte ett tal.") % {"value": value})
            continue
        result[k] = number
    return result


def _compute_key(
    errors: Errors,
    *,
    method: str,
    population_year: int | None,
    kommun_members: Sequence[Organisation],
    region_members: Sequence[Organisation],
    custom_shares: SharesInput,
    region_shares: SharesInput,
) -> tuple[dict[int, Decimal], int | None]:
    """Shares per organisation id (kommuner and regions), and the population year used."""
    shares: dict[int, Decimal] = {}
    year_used: int | None = None
    if method not in FundingKeyMethod.values:
        errors.add("funding_key_method", gettext("Välj ett giltigt sätt att fördela andelarna."))
        return shares, None
    if method != FundingKeyMethod.CUSTOM and custom_shares:
        errors.add(
            "custom_shares",
            gettext("Egna andelar kan bara anges när fördelningen är ”Egen fördelning”."),
        )
    names = {o.pk: o.name for o in Organisation.objects.all().only("pk", "name")}
    if method == FundingKeyMethod.POPULATION:
        year_used = population_year or latest_population_year()
        if year_used is None:
            errors.add(
                "funding_key_population_year",
                gettext("Det finns inga befolkningsuppgifter att fördela efter."),
            )
        else:
            codes = [o.municipality_id for o in kommun_members if o.municipality_id]
            population = population_16_64(codes, year_used)
            missing = [o for o in kommun_members if o.municipality_id not in population]
            for o in missing:
                errors.add(
                    "funding_key_population_year",
                    gettext("Befolkningsuppgifter för %(year)s saknas för %(name)s.")
                    % {"year": year_used, "name": o.name},
                )
            if not missing:
                by_code = rp.population_shares(population)
                shares.update({o.pk: by_code[o.municipality_id] for o in kommun_members})
    elif method == FundingKeyMethod.EQUAL:
        shares.update(rp.equal_shares([o.pk for o in kommun_members]))
    else:
        given = _normalise_share_keys(errors, custom_shares or {}, kommun_members, "custom_shares")
        problems = rp.share_violations(given, {o.pk: o.name for o in kommun_members}, names=names)
        errors.extend(problems)
        if not problems:
            shares.update(
                {k: v.quantize(rp.SHARE_QUANTUM) for k, v in given.items() if v is not None}
            )
    if region_shares:
        given = _normalise_share_keys(errors, region_shares, region_members, "region_shares")
        problems = rp.share_violations(
            given,
            {o.pk: o.name for o in region_members},
            field_name="region_shares",
            label="regionernas",
            names=names,
        )
        errors.extend(problems)
        if not problems:
            shares.update(
                {k: v.quantize(rp.SHARE_QUANTUM) for k, v in given.items() if v is not None}
            )
    else:
        shares.update(rp.equal_shares([o.pk for o in region_members]))
    return shares, year_used


def _members_on(
    facts_and_orgs: Iterable[tuple[Organisation, rp.MemberFact]], day: dt.date, kind: str
) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for org, fact in facts_and_orgs:
        if fact.kind == kind and fact.active_on(day):
            seen[org.pk] = org
    return sorted(seen.values(), key=lambda o: o.name)


def _store_key(association: Association, shares: Mapping[int, Decimal]) -> None:
    FundingShare.objects.filter(association=association).delete()
    FundingShare.objects.bulk_create(
        [
            FundingShare(association=association, organisation_id=org_id, share_pct=pct)
            for org_id, pct in shares.items()
        ]
    )


def _rekey(association: Association, shares: Mapping[int, Decimal], year: int | None) -> None:
    """Store a recomputed key and the population year it was computed from."""
    association.funding_key_population_year = year
    association.save(update_fields=["funding_key_population_year"])
    _store_key(association, shares)


def _shares_detail(shares: Mapping[int, Decimal]) -> dict[str, str]:
    return {str(k): f"{v:.4f}" for k, v in shares.items()}


def _locked(association: Association) -> Association:
    return Association.objects.select_for_update().get(pk=association.pk)


def _recheck_and_rekey(
    errors: Errors,
    association: Association,
    *,
    area: Sequence[tuple[str, str]],
    memberships: Sequence[tuple[Organisation, dt.date, dt.date | None]],
    method: str | None = None,
    population_year: int | None = None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
) -> tuple[dict[int, Decimal], int | None]:
    """Membership rules from today onwards, then the funding key for the new state."""
    pairs = [(org, _fact(org, f, t)) for org, f, t in memberships]
    since = max(_today(), association.founded)
    if association.dissolved is None or since <= association.dissolved:
        errors.extend(
            rp.membership_violations(
                area, [f for _o, f in pairs], since=since, until=association.dissolved
            )
        )
    method = method or association.funding_key_method
    if method == FundingKeyMethod.POPULATION and population_year is None:
        population_year = association.funding_key_population_year
    day = key_date(association.founded, association.dissolved)
    kommuner = _members_on(pairs, day, parties.KOMMUN)
    regions = _members_on(pairs, day, parties.REGION)
    stored = list(association.funding_shares.select_related("organisation"))
    region_ids = {r.pk for r in regions}
    if method == FundingKeyMethod.CUSTOM and custom_shares is None:
        # Keep the agreed custom key; it must still fit the new set of kommun members.
        custom_shares = {
            s.organisation_id: s.share_pct
            for s in stored
            if s.organisation.kind == PartyKind.KOMMUN
        }
    if region_shares is None and len(regions) > 1:
        stored_regions = {
            s.organisation_id: s.share_pct
            for s in stored
            if s.organisation.kind == PartyKind.REGION
        }
        if set(stored_regions) == region_ids:
            region_shares = stored_regions
    key_errors = Errors()
    shares, year = _compute_key(
        key_errors,
        method=method,
        population_year=population_year,
        kommun_members=kommuner,
        region_members=regions,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    errors.merge(key_errors)
    return shares, year


def _current_state(
    association: Association,
) -> tuple[list[tuple[str, str]], list[Membership]]:
    area = [(p.municipality_id, p.district) for p in association.area.all()]
    memberships = list(association.memberships.select_related("organisation"))
    return area, memberships


def _triples(ms: Iterable[Membership]) -> list[tuple[Organisation, dt.date, dt.date | None]]:
    return [(m.organisation, m.valid_from, m.valid_to) for m in ms]

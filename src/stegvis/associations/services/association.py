"""Writes for förbund and member organisations: each is one transaction with its audit event.

Who may:
- a systemadministratör creates förbund and member organisations;
- anyone with MANAGE_ASSOCIATION in a förbund (its förbundsadministratör, or a
  systemadministratör) edits that förbund: details, memberships, area and funding key.

After every change the membership rules (rules_pure) are checked from today onwards (from the
founding date when a förbund is created); a change that would break them is refused with a
ValidationError holding every Swedish message, and nothing is saved.

The area is not versioned: adding a kommun organisation as member adds its kommun to the area,
and ending a kommun's membership removes that kommun from the area at once (its membership period
stays in the member list). The funding key is recomputed after each change of members or area:
population and equal keys automatically, a custom key only from new shares given by the caller
(otherwise the stored shares must still fit, or the change is refused).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.associations import rules_pure as rp
from stegvis.associations.models import (
    AreaPart,
    Association,
    FundingKeyMethod,
    FundingShare,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.associations.selectors import latest_population_year, population_16_64
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.reference.models import County, Municipality

AreaInput = Iterable[tuple[str, str]]
MembershipInput = Iterable[tuple[Organisation, dt.date, dt.date | None]]
SharesInput = Mapping[Any, Any] | None


class _Errors:
    """Collects Swedish messages per field, then raises one ValidationError with all of them."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        messages = self.by_field.setdefault(field, [])
        if message not in messages:
            messages.append(message)

    def violations(self, violations: Iterable[rp.Violation], default_field: str = "") -> None:
        for v in violations:
            self.add(v.field or default_field or "__all__", gettext(v.template) % dict(v.params))

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(
                {f: [ValidationError(m) for m in ms] for f, ms in self.by_field.items()}
            )


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


F = TypeVar("F", bound=Callable[..., Any])


def _atomic_after(check: Callable[[dict[str, Any]], None]) -> Callable[[F], F]:
    """Check permission first (so a refusal's audit event is kept), then run in a transaction."""

    def decorate(fn: F) -> F:
        atomic_fn = transaction.atomic(fn)

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            check(kwargs)
            return atomic_fn(**kwargs)

        return cast(F, wrapper)

    return decorate


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


def _check_org_number(errors: _Errors, value: str, field: str = "org_number") -> str:
    problems = rp.org_number_violations(value, field)
    errors.violations(problems)
    return "" if problems else rp.normalise_org_number(value)


def _clean_area(errors: _Errors, area: AreaInput) -> list[tuple[Municipality, str]]:
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
    errors: _Errors,
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


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        return None


def _normalise_share_keys(
    errors: _Errors, shares: Mapping[Any, Any], members: Sequence[Organisation], field: str
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
    errors: _Errors,
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
            codes = [o.municipality_id for o in kommun_members]
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
        errors.violations(problems)
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
        errors.violations(problems)
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


# --- Organisations -------------------------------------------------------------------------


@_atomic_after(_system_admin_check)
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    org_number: str,
    municipality: Municipality | str | None = None,
    county: County | str | None = None,
) -> Organisation:
    """A new member organisation (systemadministratör only)."""
    errors = _Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", gettext("Ange organisationens namn."))
    if kind not in PartyKind.values:
        errors.add("kind", gettext("Välj typ av part."))
    normalised = _check_org_number(errors, org_number)
    if normalised and Organisation.objects.filter(org_number=normalised).exists():
        errors.add(
            "org_number",
            gettext("Det finns redan en medlemsorganisation med organisationsnumret %(value)s.")
            % {"value": normalised},
        )
    code = municipality.pk if isinstance(municipality, Municipality) else (municipality or "")
    muni: Municipality | None = None
    if kind == PartyKind.KOMMUN:
        muni = Municipality.objects.filter(pk=code).first() if code else None
        if not code:
            errors.add("municipality", gettext("Välj vilken kommun organisationen är."))
        elif muni is None:
            errors.add("municipality", gettext("Okänd kommunkod ”%(code)s”.") % {"code": code})
        elif Organisation.objects.filter(municipality=muni).exists():
            errors.add(
                "municipality",
                gettext("Kommun %(name)s har redan en medlemsorganisation.")
                % {"name": muni.short_name},
            )
    elif code:
        errors.add("municipality", gettext("Bara en kommun kan kopplas till en kommunkod."))
    county_code = county.pk if isinstance(county, County) else (county or "")
    county_obj: County | None = None
    if county_code:
        if kind != PartyKind.REGION:
            errors.add("county", gettext("Bara en region kan kopplas till ett län."))
        county_obj = County.objects.filter(pk=county_code).first()
        if county_obj is None:
            errors.add("county", gettext("Okänd länskod ”%(code)s”.") % {"code": county_code})
    errors.raise_if_any()
    org = Organisation.objects.create(
        name=name, kind=kind, org_number=normalised, municipality=muni, county=county_obj
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=org,
        details={"name": name, "kind": kind, "municipality": muni.pk if muni else ""},
    )
    return org


# --- Förbund -------------------------------------------------------------------------------


@_atomic_after(_system_admin_check)
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
    errors = _Errors()
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
    area_pairs = _clean_area(errors, area)
    members = list(memberships)
    pairs: list[tuple[Organisation, rp.MemberFact]] = []
    for org, valid_from, valid_to in members:
        if _check_period(errors, org.name, valid_from, valid_to, founded, dissolved):
            pairs.append((org, _fact(org, valid_from, valid_to)))
    if founded is not None:
        area_codes = [(m.pk, d) for m, d in area_pairs]
        day = key_date(founded, dissolved if dissolved and dissolved >= founded else None)
        errors.violations(
            rp.membership_violations(
                area_codes, [f for _o, f in pairs], since=founded, until=dissolved
            )
        )
        # Today's kommun members must lie in the area.
        codes = {c for c, _d in area_codes}
        for org in _members_on(pairs, day, rp.KOMMUN):
            if org.municipality_id not in codes:
                errors.add(
                    "area",
                    gettext("%(name)s är medlem men kommun %(code)s ingår inte i området.")
                    % {"name": org.name, "code": org.municipality_id},
                )
        shares, year_used = _compute_key(
            errors,
            method=funding_key_method,
            population_year=funding_key_population_year,
            kommun_members=_members_on(pairs, day, rp.KOMMUN),
            region_members=_members_on(pairs, day, rp.REGION),
            custom_shares=custom_shares,
            region_shares=region_shares,
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


def _locked(association: Association) -> Association:
    return Association.objects.select_for_update().get(pk=association.pk)


def _recheck_and_rekey(
    errors: _Errors,
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
        errors.violations(
            rp.membership_violations(
                area, [f for _o, f in pairs], since=since, until=association.dissolved
            )
        )
    method = method or association.funding_key_method
    if method == FundingKeyMethod.POPULATION and population_year is None:
        population_year = association.funding_key_population_year
    day = key_date(association.founded, association.dissolved)
    kommuner = _members_on(pairs, day, rp.KOMMUN)
    regions = _members_on(pairs, day, rp.REGION)
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
    key_errors = _Errors()
    shares, year = _compute_key(
        key_errors,
        method=method,
        population_year=population_year,
        kommun_members=kommuner,
        region_members=regions,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    for field, messages in key_errors.by_field.items():
        for m in messages:
            errors.add(field, m)
    return shares, year


def _current_state(
    association: Association,
) -> tuple[list[tuple[str, str]], list[Membership]]:
    area = [(p.municipality_id, p.district) for p in association.area.all()]
    memberships = list(association.memberships.select_related("organisation"))
    return area, memberships


def _triples(ms: Iterable[Membership]) -> list[tuple[Organisation, dt.date, dt.date | None]]:
    return [(m.organisation, m.valid_from, m.valid_to) for m in ms]


@_atomic_after(_manage_check)
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
    errors = _Errors()
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


@_atomic_after(_manage_check)
def membership_add(
    *,
    actor: Any,
    association: Association,
    organisation: Organisation,
    valid_from: dt.date | None,
    valid_to: dt.date | None = None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
) -> Membership:
    """Add a membership period; a kommun organisation's kommun joins the area if not in it."""
    association = _locked(association)
    errors = _Errors()
    area, memberships = _current_state(association)
    if not _check_period(
        errors, organisation.name, valid_from, valid_to, association.founded, association.dissolved
    ):
        errors.raise_if_any()
    assert valid_from is not None
    new_area = list(area)
    added_to_area = False
    if organisation.kind == PartyKind.KOMMUN and organisation.municipality_id not in {
        c for c, _d in area
    }:
        new_area.append((organisation.municipality_id, ""))
        added_to_area = True
    triples = [*_triples(memberships), (organisation, valid_from, valid_to)]
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=new_area,
        memberships=triples,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    errors.raise_if_any()
    membership = Membership.objects.create(
        association=association,
        organisation=organisation,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if added_to_area:
        AreaPart.objects.create(
            association=association, municipality_id=organisation.municipality_id
        )
    _rekey(association, shares, year)
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=membership,
        association=association,
        details={
            "organisation": organisation.pk,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else "",
            "added_to_area": organisation.municipality_id if added_to_area else "",
            "shares": _shares_detail(shares),
        },
    )
    return membership


@_atomic_after(_manage_membership_check)
def membership_end(
    *,
    actor: Any,
    membership: Membership,
    valid_to: dt.date | None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
) -> Membership:
    """End a membership on ``valid_to`` (inclusive). A kommun's kommun leaves the area."""
    association = membership.association
    association = _locked(association)
    errors = _Errors()
    if valid_to is None:
        errors.add("valid_to", gettext("Ange sista dag för medlemskapet."))
    elif valid_to < membership.valid_from:
        errors.add(
            "valid_to",
            gettext("Medlemskapet kan inte sluta före det började (%(date)s).")
            % {"date": membership.valid_from.isoformat()},
        )
    errors.raise_if_any()
    assert valid_to is not None
    area, memberships = _current_state(association)
    org = membership.organisation
    triples = [
        (m.organisation, m.valid_from, valid_to if m.pk == membership.pk else m.valid_to)
        for m in memberships
    ]
    new_area = area
    removed: list[str] = []
    if org.kind == PartyKind.KOMMUN:
        still_member = any(
            m.pk != membership.pk
            and m.organisation_id == org.pk
            and (m.valid_to is None or m.valid_to > valid_to)
            for m in memberships
        )
        if not still_member:
            new_area = [(c, d) for c, d in area if c != org.municipality_id]
            removed = [f"{c} {d}".strip() for c, d in area if c == org.municipality_id]
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=new_area,
        memberships=triples,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    errors.raise_if_any()
    before = membership.valid_to
    membership.valid_to = valid_to
    membership.save(update_fields=["valid_to"])
    if removed:
        AreaPart.objects.filter(
            association=association, municipality_id=org.municipality_id
        ).delete()
    _rekey(association, shares, year)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=membership,
        association=association,
        details={
            "organisation": org.pk,
            "valid_to_before": before.isoformat() if before else "",
            "valid_to": valid_to.isoformat(),
            "removed_from_area": removed,
            "shares": _shares_detail(shares),
        },
    )
    return membership


@_atomic_after(_manage_check)
def area_set(
    *,
    actor: Any,
    association: Association,
    area: AreaInput,
    custom_shares: SharesInput = None,
) -> Association:
    """Replace the förbund's area (kommuner and kommundelar)."""
    association = _locked(association)
    errors = _Errors()
    pairs = _clean_area(errors, area)
    errors.raise_if_any()
    _old_area, memberships = _current_state(association)
    new_area = [(m.pk, d) for m, d in pairs]
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=new_area,
        memberships=_triples(memberships),
        custom_shares=custom_shares,
    )
    errors.raise_if_any()
    before = [f"{c} {d}".strip() for c, d in _old_area]
    AreaPart.objects.filter(association=association).delete()
    AreaPart.objects.bulk_create(
        [AreaPart(association=association, municipality=m, district=d) for m, d in pairs]
    )
    _rekey(association, shares, year)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=association,
        association=association,
        object_type="associations.areapart",
        details={"before": before, "after": [f"{c} {d}".strip() for c, d in new_area]},
    )
    return association


@_atomic_after(_manage_check)
def district_population_set(
    *, actor: Any, association: Association, populations: dict[int, int | None]
) -> Association:
    """Record the population aged 16–64 of the förbund's kommundelar (Täckning's need);
    ``populations`` maps area part ids to a number, or None to clear it."""
    association = _locked(association)
    parts = {p.pk: p for p in AreaPart.objects.filter(association=association).exclude(
        district="")}
    errors = _Errors()
    for pk, value in populations.items():
        if pk not in parts:
            errors.add("area", gettext("Kommundelen finns inte i förbundets område."))
        elif value is not None and value < 0:
            errors.add("area", gettext("Befolkningen kan inte vara negativ."))
    errors.raise_if_any()
    changes = {}
    for pk, value in populations.items():
        part = parts[pk]
        if part.district_population != value:
            changes[f"{part.municipality_id} {part.district}"] = {
                "before": part.district_population, "after": value}
            part.district_population = value
            part.save(update_fields=["district_population"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=association,
        association=association,
        object_type="associations.areapart",
        details={"district_population": changes},
    )
    return association


@_atomic_after(_manage_check)
def funding_key_set(
    *,
    actor: Any,
    association: Association,
    method: str,
    population_year: int | None = None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
) -> Association:
    """Choose how the kommuner's (and regions') quarter is split, and store the shares."""
    association = _locked(association)
    errors = _Errors()
    area, memberships = _current_state(association)
    if method == FundingKeyMethod.CUSTOM and custom_shares is None:
        custom_shares = {}
    before = {
        "method": association.funding_key_method,
        "shares": _shares_detail(
            {s.organisation_id: s.share_pct for s in association.funding_shares.all()}
        ),
    }
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=area,
        memberships=_triples(memberships),
        method=method,
        population_year=population_year,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    errors.raise_if_any()
    association.funding_key_method = method
    association.funding_key_population_year = year
    association.save(update_fields=["funding_key_method", "funding_key_population_year"])
    _store_key(association, shares)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=association,
        association=association,
        object_type="associations.fundingshare",
        details={
            "before": before,
            "after": {"method": method, "year": year, "shares": _shares_detail(shares)},
        },
    )
    return association

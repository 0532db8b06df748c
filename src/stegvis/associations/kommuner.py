"""A kommun's member organisation comes with the förbund (issue 11).

Before, each kommun's organisation had to be added by hand before a förbund covering it could
be created (289 of 290 kommuner lacked one). Now:

- ``kommun_organisations_ensure`` creates the missing organisation of each given kommun (all
  290 when none are given), named after the kommun, without an organisationsnummer until
  someone enters it. Idempotent: an existing organisation is left alone. The demo and the
  ``stegvis kommun_organisations`` command run it for existing deployments.
- ``association_create_with_kommuner`` creates a förbund from its area: FK, AF, the chosen
  regions and every area kommun's organisation become members from the founding date. If the
  förbund is refused, no organisation is left behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from stegvis.associations import services
from stegvis.associations.models import Association, Organisation, PartyKind
from stegvis.associations.services._common import _require_manage, _require_system_admin
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.reference.models import Municipality


def _ensure(actor: Any, codes: set[str] | None) -> list[Organisation]:
    municipalities = Municipality.objects.order_by("code")
    if codes is not None:
        municipalities = municipalities.filter(code__in=codes)
    existing = {
        o.municipality_id: o
        for o in Organisation.objects.filter(kind=PartyKind.KOMMUN, municipality__in=municipalities)
    }
    result = []
    for m in municipalities:
        org = existing.get(m.code)
        if org is None:
            org = Organisation.objects.create(
                name=m.name, kind=PartyKind.KOMMUN, org_number=None, municipality=m
            )
            record_event(
                actor=actor,
                action=Action.CREATE,
                obj=org,
                username="system" if actor is None else "",
                details={"name": m.name, "kind": PartyKind.KOMMUN, "municipality": m.code},
            )
        result.append(org)
    return result


def kommun_organisations_ensure(
    *, actor: Any, municipalities: Iterable[Municipality | str] | None = None
) -> list[Organisation]:
    """The member organisation of each kommun (created when missing), in kommunkod order.

    ``actor`` is a systemadministratör, or None for the operator's command (recorded as
    ``system``)."""
    if actor is not None:
        _require_system_admin(actor)
    codes = None
    if municipalities is not None:
        codes = {m.pk if isinstance(m, Municipality) else str(m) for m in municipalities}
    with transaction.atomic():
        return _ensure(actor, codes)


def association_create_with_kommuner(
    *,
    actor: Any,
    name: str,
    org_number: str,
    founded: dt.date | None,
    dissolved: dt.date | None = None,
    area: Sequence[tuple[str, str]],
    regions: Iterable[Organisation] = (),
    funding_key_method: str,
    funding_key_population_year: int | None = None,
    custom_shares: services.SharesInput = None,
) -> Association:
    """Create a förbund with FK, AF, ``regions`` and the area's kommuner as members."""
    _require_system_admin(actor)
    with transaction.atomic():
        codes = {code for code, _district in area}
        known = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
        kommuner = _ensure(actor, known)
        members = list(Organisation.objects.filter(kind=PartyKind.FK).order_by("pk")[:1])
        members += list(Organisation.objects.filter(kind=PartyKind.AF).order_by("pk")[:1])
        members += list(regions)
        members += kommuner
        when = founded or dt.date.today()
        return services.association_create(
            actor=actor,
            name=name,
            org_number=org_number,
            founded=founded,
            dissolved=dissolved,
            area=list(area),
            memberships=[(org, when, None) for org in members],
            funding_key_method=funding_key_method,
            funding_key_population_year=funding_key_population_year,
            custom_shares=custom_shares,
        )


def association_area_change(
    *,
    actor: Any,
    association: Association,
    area: Sequence[tuple[str, str]],
    joined: dt.date | None = None,
) -> Association:
    """Change a förbund's area from the edit page: a kommun that is added becomes a member
    from ``joined`` (default today; its organisation is created when missing), then the area
    (kommuner and kommundelar) is replaced with ``services.area_set``. A kommun that leaves the
    area must first end its membership; the service says so. All or nothing."""
    _require_manage(actor, association)
    joined = max(joined or dt.date.today(), association.founded)
    with transaction.atomic():
        current = set(association.area.values_list("municipality_id", flat=True))
        wanted = {code for code, _district in area}
        added = set(
            Municipality.objects.filter(code__in=wanted - current).values_list("code", flat=True)
        )
        member_ids = set(
            association.memberships.filter(valid_to__isnull=True).values_list(
                "organisation_id", flat=True
            )
        )
        for org in _ensure(actor, added) if added else []:
            if org.pk not in member_ids:
                services.membership_add(
                    actor=actor, association=association, organisation=org, valid_from=joined
                )
        return services.area_set(actor=actor, association=association, area=list(area))

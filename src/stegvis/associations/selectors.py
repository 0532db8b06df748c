"""Reads of förbund data. Every function takes the acting user and asks the scoping module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.associations.models import (
    AreaPart,
    Association,
    FundingKeyMethod,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.associations.rules_pure import POPULATION_AGES
from stegvis.reference.models import County, Municipality, PopulationByAge


def association_list(*, user: Any) -> QuerySet[Association]:
    return scope.associations(user, Capability.VIEW_ASSOCIATION).order_by("name")


def association_get(*, user: Any, pk: int) -> Association:
    """One förbund with area, memberships and funding key (404/403 via the scoping module)."""
    association = scope.get_association(user, pk, Capability.VIEW_ASSOCIATION)
    return (
        Association.objects.filter(pk=association.pk)
        .prefetch_related(
            "area__municipality",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "organisation__municipality", "organisation__county"
                ),
            ),
            "funding_shares__organisation",
        )
        .get()
    )


def association_for_management(*, user: Any, pk: int) -> Association:
    """The förbund ``pk`` for editing: 404 for an outsider, 403 (audited) without the right."""
    return scope.get_association(user, pk, Capability.MANAGE_ASSOCIATION)


def membership_for_management(*, user: Any, association_pk: int, pk: int) -> Membership:
    association = association_for_management(user=user, pk=association_pk)
    membership = (
        Membership.objects.filter(association=association, pk=pk)
        .select_related("organisation", "association")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def current_members(*, association: Association, day: dt.date) -> list[Organisation]:
    """Member organisations of an (already scoped) förbund on ``day``."""
    rows = (
        Membership.objects.filter(association=association, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("organisation")
    )
    return sorted({m.organisation for m in rows}, key=lambda o: (o.kind, o.name))


def municipality_options() -> list[Municipality]:
    """The 290 kommuner with their member organisation (if any), for choosing an area."""
    return list(Municipality.objects.select_related("organisation").order_by("short_name"))


def organisation_options(
    *, kind: str | None = None, municipality_codes: set[str] | None = None
) -> QuerySet[Organisation]:
    """Member organisations (a shared register of public bodies, not tenant data)."""
    qs = Organisation.objects.select_related("municipality")
    if kind:
        qs = qs.filter(kind=kind)
    if municipality_codes is not None:
        qs = qs.filter(municipality_id__in=municipality_codes)
    return qs


def county_options() -> QuerySet[County]:
    return County.objects.all()


@dataclass(frozen=True)
class AreaRow:
    municipality: Municipality
    districts: list[str]


def district_parts(association: Association) -> list[AreaPart]:
    """The kommundelar of the förbund's area (with their entered population)."""
    return list(
        AreaPart.objects.filter(association=association).exclude(district="")
        .select_related("municipality").order_by("municipality__short_name", "district")
    )


def area_rows(association: Association) -> list[AreaRow]:
    """The area grouped per kommun (no districts: the whole kommun)."""
    grouped: dict[str, AreaRow] = {}
    for part in association.area.all():
        row = grouped.setdefault(part.municipality_id, AreaRow(part.municipality, []))
        if part.district:
            row.districts.append(part.district)
    return sorted(grouped.values(), key=lambda r: r.municipality.short_name)


@dataclass(frozen=True)
class ShareRow:
    organisation: Organisation
    share_pct: Decimal
    population: int | None


def funding_key_rows(association: Association) -> tuple[list[ShareRow], list[ShareRow]]:
    """(kommun rows, region rows) of the stored key; kommuner with population 16–64 if used."""
    shares = list(association.funding_shares.all())
    population: dict[str, int] = {}
    year = association.funding_key_population_year
    if association.funding_key_method == FundingKeyMethod.POPULATION and year:
        codes = [s.organisation.municipality_id for s in shares if s.organisation.municipality_id]
        population = population_16_64(codes, year)
    kommuner = [
        ShareRow(s.organisation, s.share_pct, population.get(s.organisation.municipality_id or ""))
        for s in shares
        if s.organisation.kind == PartyKind.KOMMUN
    ]
    regions = [
        ShareRow(s.organisation, s.share_pct, None)
        for s in shares
        if s.organisation.kind == PartyKind.REGION
    ]
    return kommuner, regions


def latest_population_year() -> int | None:
    return PopulationByAge.objects.order_by("-year").values_list("year", flat=True).first()


def population_16_64(codes: Iterable[str], year: int) -> dict[str, int]:
    """Population aged 16–64 (women + men) per kommunkod for ``year`` (missing: no data)."""
    rows = (
        PopulationByAge.objects.filter(
            municipality_id__in=list(codes),
            year=year,
            age__gte=POPULATION_AGES.start,
            age__lte=POPULATION_AGES.stop - 1,
        )
        .values("municipality_id")
        .annotate(women=Sum("women"), men=Sum("men"))
    )
    return {r["municipality_id"]: int(r["women"]) + int(r["men"]) for r in rows}


def area_parts(association: Association) -> list[tuple[str, str]]:
    """The förbund's area as (kommunkod, kommundel) pairs, for the edit form."""
    return [(p.municipality_id, p.district) for p in association.area.all()]

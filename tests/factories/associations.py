"""Förbund and their member organisations."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from stegvis.associations.models import (
    AreaPart,
    Association,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.lib import luhn
from stegvis.reference.models import Municipality

_orgnr = itertools.count(1)


def luhn_org_number(serial: int, prefix: str = "2220") -> str:
    """A valid organisationsnummer (Luhn check digit), distinct per serial."""
    body = f"{prefix}{serial:05d}"[:9]
    check = luhn.check_digit(body)
    return f"{body[:6]}-{body[6:]}{check}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A member organisation; one per name (the same name gives the same organisation)."""

    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = PartyKind.KOMMUN
    org_number = factory.LazyFunction(lambda: luhn_org_number(next(_orgnr)))


def organisation(kind: str, name: str, municipality: str | None = None) -> Organisation:
    return OrganisationFactory(name=name, kind=kind, municipality_id=municipality)


class AssociationFactory(factory.django.DjangoModelFactory):
    """A complete, lawful förbund: FK, AF, one region and a kommun organisation per kommun
    (``members__kommunkoder``, ``members__region_name``)."""

    class Meta:
        model = Association
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Samordningsförbundet {n}")
    org_number = factory.LazyFunction(lambda: luhn_org_number(next(_orgnr), prefix="2221"))
    founded = dt.date(2010, 1, 1)

    @factory.post_generation
    def members(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        orgs = [
            organisation(PartyKind.FK, "Försäkringskassan"),
            organisation(PartyKind.AF, "Arbetsförmedlingen"),
            organisation(PartyKind.REGION, kwargs.get("region_name", "Region Stockholm")),
        ]
        for code in kwargs.get("kommunkoder", ("0180",)):
            m = Municipality.objects.get(code=code)
            AreaPart.objects.create(association=self, municipality=m)
            orgs.append(organisation(PartyKind.KOMMUN, f"{m.short_name}s kommun", code))
        for org in orgs:
            Membership.objects.create(
                association=self, organisation=org, valid_from=dt.date(2010, 1, 1)
            )


def association(name: str, kommunkoder: list[str], region_name: str) -> Association:
    """A complete, lawful förbund (see AssociationFactory)."""
    return AssociationFactory(
        name=name, members__kommunkoder=kommunkoder, members__region_name=region_name
    )

"""Test data factories. Tests may build state directly; the application writes via services."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from stegvis.access.models import RoleGrant
from stegvis.associations.models import (
    AreaPart,
    Association,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.reference.models import Municipality

_orgnr = itertools.count(1)


def luhn_org_number(serial: int, prefix: str = "2220") -> str:
    """A valid organisationsnummer (Luhn check digit), distinct per serial."""
    body = f"{prefix}{serial:05d}"[:9]
    total = 0
    for i, ch in enumerate(body):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    check = (10 - total % 10) % 10
    return f"{body[:6]}-{body[6:]}{check}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("korrekt-hast-batteri-42")


def organisation(kind: str, name: str, municipality: str | None = None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "kind": kind,
            "org_number": luhn_org_number(next(_orgnr)),
            "municipality_id": municipality,
        },
    )
    return org


def association(name: str, kommunkoder: list[str], region_name: str) -> Association:
    """A complete, lawful förbund: FK, AF, one region and a kommun organisation per kommun."""
    a = Association.objects.create(
        name=name,
        org_number=luhn_org_number(next(_orgnr), prefix="2221"),
        founded=dt.date(2010, 1, 1),
    )
    members = [
        organisation(PartyKind.FK, "Försäkringskassan"),
        organisation(PartyKind.AF, "Arbetsförmedlingen"),
        organisation(PartyKind.REGION, region_name),
    ]
    for code in kommunkoder:
        m = Municipality.objects.get(code=code)
        AreaPart.objects.create(association=a, municipality=m)
        members.append(organisation(PartyKind.KOMMUN, f"{m.short_name}s kommun", code))
    for org in members:
        Membership.objects.create(association=a, organisation=org, valid_from=dt.date(2010, 1, 1))
    return a


def grant(user, role: str, association: Association | None = None) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, association=association)


# A fixed TOTP secret for test users who need two-factor (deltagaransvarig).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp(user, secret: str = TOTP_SECRET):
    """Give ``user`` a TOTP authenticator (allauth.mfa) with a known secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance

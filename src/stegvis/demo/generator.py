"""The demo generator: realistic förbund over real kommuner, with their members and users.

Everything is written through the domain services, exactly as a user would. ``build_demo`` is
idempotent: what exists already (matched by organisationsnummer and username) is left alone.
The same generator, with a larger :class:`Scale`, builds national-scale data for ``bench/``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from stegvis.access import services as access_services
from stegvis.access.models import RoleGrant
from stegvis.access.roles import Role
from stegvis.associations import services as association_services
from stegvis.associations.models import Association, FundingKeyMethod, Organisation, PartyKind
from stegvis.associations.rules_pure import luhn_ok
from stegvis.reference.models import Municipality

DEMO_PASSWORD = "Stegvis-demo-2026"
SYSTEM_ADMIN = "sysadmin"
FOUNDED = dt.date(2012, 1, 1)


@dataclass(frozen=True)
class DemoRegion:
    name: str
    org_number: str
    county: str


@dataclass(frozen=True)
class DemoAssociation:
    key: str  # prefix of the demo users' names
    name: str
    org_serial: str  # three digits: the demo organisationsnummer is 222000-<serial><check>
    area: tuple[tuple[str, str], ...]  # (kommunkod, district)
    regions: tuple[DemoRegion, ...]
    with_users: bool = True


REGION_STOCKHOLM = DemoRegion("Region Stockholm", "232100-0016", "01")
REGION_VG = DemoRegion("Västra Götalandsregionen", "232100-0131", "14")

DEMO_ASSOCIATIONS: tuple[DemoAssociation, ...] = (
    DemoAssociation(
        key="sodertorn",
        name="Samordningsförbundet Östra Södertörn",
        org_serial="901",
        area=(("0136", ""), ("0138", ""), ("0192", "")),
        regions=(REGION_STOCKHOLM,),
    ),
    DemoAssociation(
        key="nordost",
        name="Samordningsförbundet Göteborg Nordost",
        org_serial="902",
        area=(("1480", "Nordost"),),
        regions=(REGION_VG,),
    ),
    DemoAssociation(
        key="gotland",
        name="Samordningsförbundet Gotland",
        org_serial="903",
        area=(("0980", ""),),
        regions=(),
        with_users=False,
    ),
)

ROLE_DESCRIPTIONS = {
    Role.ASSOCIATION_ADMIN: ("forbundsadmin", "förbundsadministratör"),
    Role.INTERVENTION_MANAGER: ("insatsansvarig", "insatsansvarig"),
    Role.PARTICIPANT_OFFICER: ("deltagaransvarig", "deltagaransvarig"),
    Role.REPORT_READER: ("rapportlasare", "rapportläsare"),
    Role.AUDITOR: ("granskare", "granskare"),
}


@dataclass(frozen=True)
class Scale:
    """How much to generate. The demo is small; ``bench/`` asks for national scale."""

    associations: tuple[DemoAssociation, ...] = DEMO_ASSOCIATIONS


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str
    totp_uri: str = ""


@dataclass
class DemoResult:
    created_associations: list[str] = field(default_factory=list)
    existing_associations: list[str] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)

    def summary(self) -> str:
        if self.created_associations:
            return "Demodata skapad: " + ", ".join(self.created_associations) + "."
        return "Demodata fanns redan: " + ", ".join(self.existing_associations) + "."


def demo_totp_secret(username: str) -> str:
    """A stable TOTP secret per demo user and deployment, so it can be printed on every run."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo-totp:{username}".encode(), hashlib.sha1)
    return base64.b32encode(digest.digest()).decode()


def demo_org_number(prefix: str, serial: str) -> str:
    """A valid (Luhn) organisationsnummer ``prefix``-``serial``+check digit, for demo bodies."""
    body = prefix + serial
    check = next(str(d) for d in range(10) if luhn_ok(body + str(d)))
    return f"{body[:6]}-{body[6:]}{check}"


@transaction.atomic
def build_demo(scale: Scale | None = None) -> DemoResult:
    scale = scale or Scale()
    result = DemoResult()
    actor = _system_admin(result)
    national = _user(actor, "nationell.analytiker", None, Role.REPORT_READER)
    result.logins.append(
        DemoLogin(national.username, DEMO_PASSWORD, "rapportläsare, hela landet")
    )
    fk = _organisation(actor, PartyKind.FK, "Försäkringskassan", "202100-5521")
    af = _organisation(actor, PartyKind.AF, "Arbetsförmedlingen", "202100-2114")
    for spec in scale.associations:
        association = _association(actor, spec, fk, af, result)
        if spec.with_users:
            for role, (suffix, label) in ROLE_DESCRIPTIONS.items():
                username = f"{spec.key}.{suffix}"
                user = _user(actor, username, association, role)
                uri = ""
                if role.value in settings.STEGVIS_MFA_REQUIRED_ROLES:
                    uri = _totp(actor, user)
                result.logins.append(
                    DemoLogin(username, DEMO_PASSWORD, f"{label}, {association.name}", uri)
                )
    return result


def _system_admin(result: DemoResult) -> object:
    user = get_user_model().objects.filter(username=SYSTEM_ADMIN).first()
    if user is None:
        user = access_services.system_admin_bootstrap(
            username=SYSTEM_ADMIN, password=DEMO_PASSWORD
        )
    result.logins.append(DemoLogin(SYSTEM_ADMIN, DEMO_PASSWORD, "systemadministratör"))
    return user


def _user(actor: object, username: str, association: Association | None, role: Role) -> object:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = access_services.user_create(actor=actor, username=username, password=DEMO_PASSWORD)
    if not RoleGrant.objects.filter(user=user, role=role.value, association=association).exists():
        access_services.role_grant(actor=actor, user=user, role=role, association=association)
    return user


def _totp(actor: object, user: object) -> str:
    from allauth.mfa.models import Authenticator

    secret = demo_totp_secret(user.get_username())  # type: ignore[attr-defined]
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        access_services.totp_enable_with_secret(actor=actor, user=user, secret=secret)
    return access_services.totp_uri(user=user, secret=secret)


def _organisation(
    actor: object,
    kind: str,
    name: str,
    org_number: str,
    municipality: str | None = None,
    county: str | None = None,
) -> Organisation:
    existing = Organisation.objects.filter(org_number=org_number).first()
    if existing is not None:
        return existing
    return association_services.organisation_create(
        actor=actor,
        name=name,
        kind=kind,
        org_number=org_number,
        municipality=municipality,
        county=county,
    )


def _association(
    actor: object, spec: DemoAssociation, fk: Organisation, af: Organisation, result: DemoResult
) -> Association:
    org_number = demo_org_number("222000", spec.org_serial)
    existing = Association.objects.filter(org_number=org_number).first()
    if existing is not None:
        result.existing_associations.append(existing.name)
        return existing
    members = [fk, af]
    for region in spec.regions:
        members.append(
            _organisation(actor, PartyKind.REGION, region.name, region.org_number,
                          county=region.county)
        )
    for code, _district in spec.area:
        municipality = Municipality.objects.get(code=code)
        members.append(
            _organisation(
                actor,
                PartyKind.KOMMUN,
                municipality.name,
                demo_org_number("212000", code[1:]),
                municipality=code,
            )
        )
    association = association_services.association_create(
        actor=actor,
        name=spec.name,
        org_number=org_number,
        founded=FOUNDED,
        area=list(spec.area),
        memberships=[(org, FOUNDED, None) for org in members],
        funding_key_method=FundingKeyMethod.POPULATION,
        funding_key_population_year=2019,
        is_demo=True,
    )
    result.created_associations.append(association.name)
    return association

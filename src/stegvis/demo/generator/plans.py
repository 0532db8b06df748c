"""What the demo holds: the demo förbund, insatser and scale, the result of a run, and the
reproducible TOTP secrets and org numbers of the demo accounts and organisations.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings

from stegvis.access.roles import Role
from stegvis.associations.models import PartyKind
from stegvis.interventions.models import FollowUpMethod, Orientation
from stegvis.lib import luhn

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
class DemoIntervention:
    name: str
    orientation: str
    follow_up_method: str
    precise_orientation: str
    target_groups: tuple[str, ...]
    organiser_kind: str
    party_kinds: tuple[str, ...]
    yearly_budget: int


DEMO_INTERVENTIONS: tuple[DemoIntervention, ...] = (
    DemoIntervention("Steg till arbete", Orientation.INDIVIDUAL, FollowUpMethod.IDENTIFIED,
                     "individ_arbetslivsinriktad_rehabilitering",
                     ("langtidssjukskrivna", "forsorjningsstod"), PartyKind.KOMMUN,
                     (PartyKind.KOMMUN, PartyKind.AF, PartyKind.FK), 2_400_000),
    DemoIntervention("Unga vuxna i fokus", Orientation.INDIVIDUAL, FollowUpMethod.IDENTIFIED,
                     "individ_unga_utanfor", ("unga_aktivitetsersattning", "psykisk_ohalsa"),
                     PartyKind.AF, (PartyKind.AF, PartyKind.FK, PartyKind.KOMMUN), 1_800_000),
    DemoIntervention("Samtalsstöd vid psykisk ohälsa", Orientation.INDIVIDUAL,
                     FollowUpMethod.ANONYMOUS, "individ_forrehabilitering", ("psykisk_ohalsa",),
                     PartyKind.REGION, (PartyKind.REGION, PartyKind.KOMMUN), 600_000),
    DemoIntervention("Kompetensutveckling i samverkan", Orientation.STRUCTURAL,
                     FollowUpMethod.VOLUME, "struktur_kompetensutveckling", ("annan",),
                     PartyKind.FK, (PartyKind.FK, PartyKind.AF, PartyKind.KOMMUN), 300_000),
)


@dataclass(frozen=True)
class Scale:
    """How much to generate. The demo is small; ``bench/`` asks for national scale."""

    associations: tuple[DemoAssociation, ...] = DEMO_ASSOCIATIONS
    interventions: tuple[DemoIntervention, ...] = DEMO_INTERVENTIONS
    participants_per_intervention: int = 70
    first_year: int = 2024
    seed: int = 2026


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
    check = luhn.check_digit(body)
    return f"{body[:6]}-{body[6:]}{check}"

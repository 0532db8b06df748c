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
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from stegvis.access import services as access_services
from stegvis.access.middleware import needs_two_factor
from stegvis.access.models import RoleGrant
from stegvis.access.roles import Role
from stegvis.associations import services as association_services
from stegvis.associations.models import Association, FundingKeyMethod, Organisation, PartyKind
from stegvis.associations.rules_pure import luhn_ok
from stegvis.demo import synthetic
from stegvis.finance import services as finance_services
from stegvis.finance.models import DecidedAllocation, FinanceYear
from stegvis.followup.demo import add_demo_follow_ups
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.participants import services as participant_services
from stegvis.participants.models import Participation
from stegvis.reference.models import Code, Municipality
from stegvis.registry.demo import add_demo_register_import

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
                if needs_two_factor(user):
                    uri = _totp(actor, user)
                result.logins.append(
                    DemoLogin(username, DEMO_PASSWORD, f"{label}, {association.name}", uri)
                )
            if not Intervention.objects.filter(association=association).exists():
                officer = get_user_model().objects.get(username=f"{spec.key}.deltagaransvarig")
                manager = get_user_model().objects.get(username=f"{spec.key}.insatsansvarig")
                _interventions(scale, association, manager, officer, spec, result)
            if not FinanceYear.objects.filter(association=association).exists():
                admin = get_user_model().objects.get(username=f"{spec.key}.forbundsadmin")
                _finance(scale, association, admin)
    _state_allocation(actor)
    if result.created_associations:
        add_demo_register_import(actor=actor)
    return result


def _finance(scale: Scale, association: Association, admin: object) -> None:
    """Finance years with an adopted budget, members' contributions and, for years that
    have begun and ended, outcomes; the current year's contributions are partly paid."""
    rng = random.Random(f"{scale.seed}:finance:{association.pk}")
    today = dt.date.today()
    for year in range(scale.first_year, today.year + 1):
        frame = 4_000_000 + 250_000 * (year - scale.first_year) + rng.randint(0, 20) * 10_000
        fy = finance_services.finance_year_set(
            actor=admin, association=association, year=year, frame=frame,
            opening_equity=rng.randint(5, 15) * 100_000, other_income=rng.randint(0, 5) * 10_000,
        )
        budget = finance_services.budget_draft_create(actor=admin, finance_year=fy)
        board, administration, audit = 150_000, 600_000, 60_000
        finance_services.budget_update(
            actor=admin, budget=budget, board=board, administration=administration, audit=audit,
        )
        finance_services.budget_adopt(
            actor=admin, budget=budget, decided_on=min(dt.date(year - 1, 12, 10), today),
        )
        for index, contribution in enumerate(fy.contributions.select_related("organisation")):
            if year < today.year or index % 2 == 0:
                finance_services.contribution_payment_set(
                    actor=admin, finance_year=fy, organisation=contribution.organisation,
                    paid_on=min(dt.date(year, 3, 1) + dt.timedelta(days=7 * index), today),
                )
        if year < today.year:
            finance_services.actual_costs_set(
                actor=admin, finance_year=fy,
                board=round(board * rng.uniform(0.8, 1.05)),
                administration=round(administration * rng.uniform(0.9, 1.05)),
                audit=audit,
            )


def _state_allocation(actor: object) -> None:
    """Parameters and a decided state allocation for the current year for the demo förbund."""
    year = dt.date.today().year
    if DecidedAllocation.objects.filter(allocation_year=year).exists():
        return
    demo = list(Association.objects.filter(is_demo=True).order_by("name"))
    if not demo:
        return
    finance_services.parameters_create(
        actor=actor, allocation_year=year, state_total=f"{3_000_000 * len(demo)}",
        base_amount="400 000", key_support_pct="75", key_population_pct="25", age_to="64",
        max_reduction_pct="10",
        equity_scale=[(0, "30"), ("5 000 000", "20"), ("10 000 000", "15")],
        note="Demo",
    )
    finance_services.allocation_decide(
        actor=actor, allocation_year=year,
        amounts={a.pk: 2_000_000 + 250_000 * i for i, a in enumerate(demo)},
        decided_on=dt.date(year, 1, 1),
    )


def _interventions(
    scale: Scale,
    association: Association,
    manager: object,
    officer: object,
    spec: DemoAssociation,
    result: DemoResult,
) -> None:
    """The förbund's insatser with budgets, counts and participants over three years."""
    rng = random.Random(f"{scale.seed}:{spec.key}")
    today = dt.date.today()
    start = dt.date(scale.first_year, 1, 1)
    members = {m.organisation.kind: m.organisation
               for m in association.memberships.select_related("organisation")}
    codes = {(c.list, c.key): c for c in Code.objects.all()}
    for plan in scale.interventions:
        parties = [members[k] for k in plan.party_kinds if k in members]
        if len({o.kind for o in parties}) < 2:
            continue  # e.g. Gotland has no region: the insats needs two party kinds
        organiser = members.get(plan.organiser_kind, parties[0])
        intervention = intervention_services.intervention_create(
            actor=manager,
            association=association,
            name=plan.name,
            orientation=plan.orientation,
            follow_up_method=plan.follow_up_method,
            precise_orientation=codes[("precise_orientation", plan.precise_orientation)],
            target_groups=[codes[("target_group", k)] for k in plan.target_groups],
            organiser=organiser,
            parties=parties,
            controller=organiser,
            start_date=start,
            description=f"Demoinsats: {plan.name.lower()}.",
        )
        for year in range(scale.first_year, today.year + 1):
            budget = plan.yearly_budget
            actual = None if year == today.year else round(budget * rng.uniform(0.8, 1.05))
            intervention_services.intervention_year_set(
                actor=manager,
                intervention=intervention,
                year=year,
                planned_participants=scale.participants_per_intervention // 3,
                lines=[("insatskostnad", budget, actual)],
            )
            if plan.follow_up_method == FollowUpMethod.ANONYMOUS:
                intervention_services.anonymous_count_set(
                    actor=manager, intervention=intervention, start_year=year,
                    women=rng.randint(8, 20), men=rng.randint(5, 15),
                )
            elif plan.follow_up_method == FollowUpMethod.VOLUME:
                women, men = rng.randint(20, 60), rng.randint(10, 40)
                intervention_services.volume_count_record(
                    actor=manager, intervention=intervention,
                    period_start=dt.date(year, 1, 1),
                    period_end=min(dt.date(year, 12, 31), today),
                    total=women + men, women=women, men=men,
                )
        if plan.follow_up_method == FollowUpMethod.IDENTIFIED:
            intervention_services.assignment_add(
                actor=manager, intervention=intervention, user=officer
            )
            residences = [code for code, _d in spec.area]
            for _ in range(scale.participants_per_intervention):
                person = synthetic.participant(
                    rng, earliest=start, latest=today - dt.timedelta(days=20), today=today
                )
                register(officer, intervention, person, rng.choice(residences))


def _measurement(plan: synthetic.MeasurementPlan) -> participant_services.MeasurementInput:
    return participant_services.MeasurementInput(
        date=plan.date,
        income_sources=plan.income_sources,
        activities=list(plan.activities),
        education_level=plan.education_level,
        public_support_duration=plan.public_support_duration,
        step=plan.step,
        rating_work=plan.rating_work,
    )


FOLLOW_UP_OCCASION = {3: "followup_3m", 6: "followup_6m", 12: "followup_12m"}


def register(
    officer: object, intervention: Intervention, plan: synthetic.ParticipantPlan, residence: str
) -> Participation:
    """Register one synthetic participant through the services: start, end, follow-ups."""
    participation = participant_services.participation_start(
        actor=officer,
        intervention=intervention,
        personnummer=plan.personnummer,
        consent=participant_services.ConsentInput(
            date=plan.start_date, form_version="2024:1", scope_follow_up=plan.consent_follow_up
        ),
        protected_identity=False,
        referred_by=plan.referred_by,
        start_date=plan.start_date,
        residence=residence,
        measurement=_measurement(plan.start),
        confirm_young=True,
    )
    if plan.end_date is not None and plan.end is not None:
        participant_services.participation_end(
            actor=officer,
            participation=participation,
            end_date=plan.end_date,
            exit_reason=plan.exit_reason,
            measurement=_measurement(plan.end),
        )
        for months, follow_up in plan.follow_ups:
            participant_services.measurement_record(
                actor=officer,
                participation=participation,
                occasion=FOLLOW_UP_OCCASION[months],
                measurement=_measurement(follow_up),
            )
        add_demo_follow_ups(officer=officer, participation=participation)
    return participation


def _system_admin(result: DemoResult) -> object:
    user = get_user_model().objects.filter(username=SYSTEM_ADMIN).first()
    if user is None:
        user = access_services.system_admin_bootstrap(
            username=SYSTEM_ADMIN, password=DEMO_PASSWORD
        )
    result.logins.append(
        DemoLogin(SYSTEM_ADMIN, DEMO_PASSWORD, "systemadministratör", _totp(None, user))
    )
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
                demo_org_number("21200", code),
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


@dataclass(frozen=True)
class NationalScale:
    """National-scale data for benchmarks: förbund over every kommun, insatser, participants."""

    associations: int = 80
    interventions: int = 1000
    participations: int = 300_000
    first_year: int = 2023
    seed: int = 80


@dataclass
class NationalResult:
    associations: int = 0
    interventions: int = 0
    participations: int = 0
    rows: int = 0
    officers: dict[int, object] = field(default_factory=dict)  # intervention id -> officer


def _split(items: list[str], parts: int) -> list[list[str]]:
    size, extra = divmod(len(items), parts)
    out, i = [], 0
    for n in range(parts):
        step = size + (1 if n < extra else 0)
        out.append(items[i:i + step])
        i += step
    return [chunk for chunk in out if chunk]


def build_national(scale: NationalScale, progress: object = None) -> NationalResult:
    """Build national-scale data through the services (participant histories by bulk import).

    ``progress`` is called with a short text after each förbund when given.
    """
    from stegvis.participants.imports import participations_import

    rng = random.Random(scale.seed)
    result = NationalResult()
    actor = _system_admin(DemoResult())
    fk = _organisation(actor, PartyKind.FK, "Försäkringskassan", "202100-5521")
    af = _organisation(actor, PartyKind.AF, "Arbetsförmedlingen", "202100-2114")
    kommuner = list(Municipality.objects.select_related("county").order_by("code"))
    groups = _split([m.code for m in kommuner], scale.associations)
    by_code = {m.code: m for m in kommuner}
    codes = {(c.list, c.key): c for c in Code.objects.all()}
    today = dt.date.today()
    first = dt.date(scale.first_year, 1, 1)
    per_association = _split([str(i) for i in range(scale.interventions)], len(groups))
    per_intervention = max(1, scale.participations // scale.interventions)
    for n, group in enumerate(groups):
        counties = sorted({by_code[c].county_id for c in group})
        regions = [
            _organisation(actor, PartyKind.REGION, f"Region {by_code[group[0]].county.name}"
                          if len(counties) == 1 else f"Region län {cc}",
                          demo_org_number("232100", f"{int(cc):02d}9"), county=cc)
            for cc in counties
        ] if group != ["0980"] else []
        members = [fk, af, *regions]
        for code in group:
            members.append(_organisation(actor, PartyKind.KOMMUN, by_code[code].name,
                                         demo_org_number("21200", code), municipality=code))
        org_number = demo_org_number("2220", f"{n:05d}")
        association = Association.objects.filter(org_number=org_number).first()
        if association is None:
            association = association_services.association_create(
                actor=actor,
                name=f"Samordningsförbundet {by_code[group[0]].short_name} nr {n + 1}",
                org_number=org_number,
                founded=dt.date(2010, 1, 1),
                area=[(code, "") for code in group],
                memberships=[(org, dt.date(2010, 1, 1), None) for org in members],
                funding_key_method=FundingKeyMethod.POPULATION,
                funding_key_population_year=2019,
                is_demo=True,
            )
        result.associations += 1
        manager = _user(actor, f"bench{n}.insatsansvarig", association,
                        Role.INTERVENTION_MANAGER)
        officer = _user(actor, f"bench{n}.deltagaransvarig", association,
                        Role.PARTICIPANT_OFFICER)
        kinds = {o.kind: o for o in members}
        for i in per_association[n] if n < len(per_association) else []:
            name = f"Insats {int(i) + 1}"
            intervention = Intervention.objects.filter(association=association, name=name).first()
            if intervention is None:
                plan = DEMO_INTERVENTIONS[int(i) % 2]
                intervention = intervention_services.intervention_create(
                    actor=manager, association=association, name=name,
                    orientation=Orientation.INDIVIDUAL,
                    follow_up_method=FollowUpMethod.IDENTIFIED,
                    precise_orientation=codes[("precise_orientation", plan.precise_orientation)],
                    target_groups=[codes[("target_group", k)] for k in plan.target_groups],
                    organiser=kinds[PartyKind.KOMMUN],
                    parties=[kinds[PartyKind.KOMMUN], af, fk], controller=kinds[PartyKind.KOMMUN],
                    start_date=first,
                )
                for year in range(scale.first_year, today.year + 1):
                    budget = rng.randrange(500_000, 3_000_000, 1000)
                    intervention_services.intervention_year_set(
                        actor=manager, intervention=intervention, year=year,
                        planned_participants=per_intervention // 3,
                        lines=[("insatskostnad", budget,
                                None if year == today.year else round(budget * 0.93))],
                    )
                intervention_services.assignment_add(
                    actor=manager, intervention=intervention, user=officer)
            result.interventions += 1
            result.officers[intervention.pk] = officer
            if intervention.participations.exists():
                result.participations += intervention.participations.count()
                continue
            rows = []
            for _ in range(per_intervention):
                p = synthetic.participant(rng, earliest=first, latest=today - dt.timedelta(days=20),
                                          today=today)
                rows.append(_import_row(p, rng.choice(group)))
            ids = participations_import(actor=officer, intervention=intervention, rows=rows)
            result.participations += len(ids)
            result.rows += sum(2 + len(r.follow_ups) * 2 + (2 if r.end else 0) for r in rows)
        if progress is not None:
            progress(f"{n + 1}/{len(groups)} förbund, {result.participations} deltaganden")
    return result


def _import_row(p: synthetic.ParticipantPlan, residence: str) -> object:
    from stegvis.participants.imports import ImportRow

    return ImportRow(
        personnummer=p.personnummer,
        referred_by=p.referred_by,
        start_date=p.start_date,
        residence=residence,
        consent=participant_services.ConsentInput(
            date=p.start_date, form_version="2024:1", scope_follow_up=p.consent_follow_up
        ),
        start=_measurement(p.start),
        end_date=p.end_date,
        exit_reason=p.exit_reason,
        end=_measurement(p.end) if p.end else None,
        follow_ups={FOLLOW_UP_OCCASION[k]: _measurement(m) for k, m in p.follow_ups},
    )

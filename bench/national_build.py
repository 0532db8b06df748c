"""``build_national``: national-scale synthetic data for ``bench/national.py``, written in bulk
through the same services as the demo (participants through the bulk import).

Bench-only, so it lives here and not in the application; import it after ``django.setup()``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from stegvis.access.roles import Role
from stegvis.associations import services as association_services
from stegvis.associations.models import Association, FundingKeyMethod, PartyKind
from stegvis.demo import synthetic
from stegvis.demo.generator.interventions import FOLLOW_UP_OCCASION, measurement_input
from stegvis.demo.generator.people import demo_organisation, demo_system_admin, demo_user
from stegvis.demo.generator.plans import DEMO_INTERVENTIONS, DemoResult, demo_org_number
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.participants import services as participant_services
from stegvis.participants.imports import ImportRow, participations_import
from stegvis.reference.models import Code, Municipality


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
    rng = random.Random(scale.seed)
    result = NationalResult()
    actor = demo_system_admin(DemoResult())
    fk = demo_organisation(actor, PartyKind.FK, "Försäkringskassan", "202100-5521")
    af = demo_organisation(actor, PartyKind.AF, "Arbetsförmedlingen", "202100-2114")
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
            demo_organisation(actor, PartyKind.REGION, f"Region {by_code[group[0]].county.name}"
                          if len(counties) == 1 else f"Region län {cc}",
                          demo_org_number("232100", f"{int(cc):02d}9"), county=cc)
            for cc in counties
        ] if group != ["0980"] else []
        members = [fk, af, *regions]
        for code in group:
            members.append(demo_organisation(actor, PartyKind.KOMMUN, by_code[code].name,
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
        manager = demo_user(actor, f"bench{n}.insatsansvarig", association,
                        Role.INTERVENTION_MANAGER)
        officer = demo_user(actor, f"bench{n}.deltagaransvarig", association,
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
    return ImportRow(
        personnummer=p.personnummer,
        referred_by=p.referred_by,
        start_date=p.start_date,
        residence=residence,
        consent=participant_services.ConsentInput(
            date=p.start_date, form_version="2024:1", scope_follow_up=p.consent_follow_up
        ),
        start=measurement_input(p.start),
        end_date=p.end_date,
        exit_reason=p.exit_reason,
        end=measurement_input(p.end) if p.end else None,
        follow_ups={FOLLOW_UP_OCCASION[k]: measurement_input(m) for k, m in p.follow_ups},
    )

"""The demo's insatser and participants, each registered through the participant services.
"""

from __future__ import annotations

import datetime as dt
import random

from stegvis.associations.models import Association
from stegvis.demo import synthetic
from stegvis.demo.generator.plans import DemoAssociation, DemoResult, Scale
from stegvis.followup.demo import add_demo_follow_ups
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import FollowUpMethod, Intervention
from stegvis.participants import services as participant_services
from stegvis.participants.models import Participation
from stegvis.reference.models import Code


def add_interventions(
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


def measurement_input(plan: synthetic.MeasurementPlan) -> participant_services.MeasurementInput:
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
        measurement=measurement_input(plan.start),
        confirm_young=True,
    )
    if plan.end_date is not None and plan.end is not None:
        participant_services.participation_end(
            actor=officer,
            participation=participation,
            end_date=plan.end_date,
            exit_reason=plan.exit_reason,
            measurement=measurement_input(plan.end),
        )
        for months, follow_up in plan.follow_ups:
            participant_services.measurement_record(
                actor=officer,
                participation=participation,
                occasion=FOLLOW_UP_OCCASION[months],
                measurement=measurement_input(follow_up),
            )
        add_demo_follow_ups(officer=officer, participation=participation)
    return participation

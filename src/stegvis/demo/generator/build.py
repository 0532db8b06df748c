"""``build_demo``: the demo förbund with their members, users, insatser, participants and money.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from stegvis.access.middleware import needs_two_factor
from stegvis.access.roles import Role
from stegvis.associations.kommuner import kommun_organisations_ensure
from stegvis.associations.models import PartyKind
from stegvis.demo.generator.finance import add_finance, add_state_allocation
from stegvis.demo.generator.interventions import add_interventions
from stegvis.demo.generator.people import (
    demo_association,
    demo_organisation,
    demo_system_admin,
    demo_totp,
    demo_user,
)
from stegvis.demo.generator.plans import (
    DEMO_PASSWORD,
    ROLE_DESCRIPTIONS,
    DemoLogin,
    DemoResult,
    Scale,
)
from stegvis.finance.models import FinanceYear
from stegvis.followup import services as followup_services
from stegvis.followup.demo import reset_turns
from stegvis.interventions.models import Intervention
from stegvis.registry.demo import add_demo_register_import


@transaction.atomic
def build_demo(scale: Scale | None = None) -> DemoResult:
    scale = scale or Scale()
    result = DemoResult()
    reset_turns()
    actor = demo_system_admin(result)
    national = demo_user(actor, "nationell.analytiker", None, Role.REPORT_READER)
    result.logins.append(
        DemoLogin(national.username, DEMO_PASSWORD, "rapportläsare, hela landet")
    )
    fk = demo_organisation(actor, PartyKind.FK, "Försäkringskassan", "202100-5521")
    af = demo_organisation(actor, PartyKind.AF, "Arbetsförmedlingen", "202100-2114")
    for spec in scale.associations:
        association = demo_association(actor, spec, fk, af, result)
        if spec.with_users:
            for role, (suffix, label) in ROLE_DESCRIPTIONS.items():
                username = f"{spec.key}.{suffix}"
                user = demo_user(actor, username, association, role)
                uri = ""
                if needs_two_factor(user):
                    uri = demo_totp(actor, user)
                result.logins.append(
                    DemoLogin(username, DEMO_PASSWORD, f"{label}, {association.name}", uri)
                )
            if not Intervention.objects.filter(association=association).exists():
                if spec is scale.associations[0]:  # follows up at 24 and 36 months too
                    followup_services.horizons_set(
                        actor=get_user_model().objects.get(username=f"{spec.key}.forbundsadmin"),
                        association=association, long_horizons=True)
                officer = get_user_model().objects.get(username=f"{spec.key}.deltagaransvarig")
                manager = get_user_model().objects.get(username=f"{spec.key}.insatsansvarig")
                add_interventions(scale, association, manager, officer, spec, result)
            if not FinanceYear.objects.filter(association=association).exists():
                admin = get_user_model().objects.get(username=f"{spec.key}.forbundsadmin")
                add_finance(scale, association, admin)
    add_state_allocation(actor)
    # Every kommun has its member organisation (issue 11), as in a deployment that ran
    # ``stegvis kommun_organisations``.
    kommun_organisations_ensure(actor=actor)
    if result.created_associations:
        add_demo_register_import(actor=actor)
    return result

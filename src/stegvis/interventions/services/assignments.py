"""Which handläggare work in an insats.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from stegvis.access.models import InterventionAssignment, RoleGrant
from stegvis.access.roles import Role
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions import domain
from stegvis.interventions.models import (
    Intervention,
)
from stegvis.interventions.services._common import _manage_intervention
from stegvis.lib.errors import raise_problems
from stegvis.lib.problems import Problem
from stegvis.lib.services import service


def _is_officer(user: Any, association_id: int) -> bool:
    return RoleGrant.objects.filter(
        user=user, role=Role.PARTICIPANT_OFFICER.value, association_id=association_id
    ).exists()


@service(_manage_intervention)
def assignment_add(*, actor: Any, intervention: Intervention, user: Any) -> InterventionAssignment:
    """Assign a deltagaransvarig of the insats's förbund to the insats."""
    raise_problems(domain.assignment_errors(intervention.follow_up_method))
    if user is None or not getattr(user, "is_active", False):
        raise_problems([Problem("user", _("Deltagaransvarig: välj en aktiv användare."))])
    if not _is_officer(user, intervention.association_id):
        raise_problems(
            [
                Problem(
                    "user",
                    _(
                        "Deltagaransvarig: användaren har inte rollen deltagaransvarig i "
                        "förbundet och kan inte tilldelas insatsen."
                    ),
                )
            ]
        )
    if user.pk == getattr(actor, "pk", None):
        # Separation of duties: access to personal data is always given by someone else.
        raise_problems(
            [
                Problem(
                    "user",
                    _(
                        "Deltagaransvarig: du kan inte tilldela dig själv en insats. "
                        "Be en annan insatsansvarig eller administratör."
                    ),
                )
            ]
        )
    assignment, created = InterventionAssignment.objects.get_or_create(
        intervention=intervention, user=user
    )
    if not created:
        raise_problems([Problem("user", _("Deltagaransvarig: är redan tilldelad insatsen."))])
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=assignment,
        association=intervention.association_id,
        details={"intervention": intervention.pk, "user": user.pk},
    )
    return assignment


@service(_manage_intervention)
def assignment_remove(*, actor: Any, intervention: Intervention, user: Any) -> None:
    assignment = (
        InterventionAssignment.objects.select_for_update()
        .filter(intervention=intervention, user=user)
        .first()
    )
    if assignment is None:
        raise_problems([Problem("user", _("Deltagaransvarig: är inte tilldelad insatsen."))])
    assert assignment is not None
    pk = assignment.pk
    assignment.delete()
    record_event(
        actor=actor,
        action=Action.DELETE,
        object_type="interventions.interventionassignment",
        object_id=pk,
        association=intervention.association_id,
        details={"intervention": intervention.pk, "user": user.pk},
    )

"""The coach's daily casework on participations: own reference, change of coach, change of insats.

Each write is a named transactional service that records its audit event (never the text of
the reference, which may describe the person).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.access.models import InterventionAssignment
from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event
from stegvis.interventions.models import FollowUpMethod, Intervention
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import Participation
from stegvis.participants.services import require_assigned

REFERENCE_MAX = 40
MSG_REFERENCE_PNR = gettext_lazy(
    "Egen referens: skriv inget personnummer, till exempel ett förnamn eller en kort anteckning."
)
MSG_COACH = gettext_lazy("Deltagaransvarig: välj en deltagaransvarig som är tilldelad insatsen.")
MSG_SAME_COACH = gettext_lazy("Deltagaransvarig: deltagandet har redan den deltagaransvarige.")
MSG_TARGET = gettext_lazy("Insats: välj en annan insats i samma förbund som du är tilldelad.")
MSG_TARGET_OPEN = gettext_lazy("Insats: personen har redan ett pågående deltagande i den insatsen.")
MSG_NOT_OPEN = gettext_lazy(
    "Deltagandet är avslutat, felregistrerat eller raderat och kan inte flyttas."
)


def _require_movable(participation: Participation) -> None:
    if not participation.is_open or participation.is_error or participation.person_id is None:
        raise ValidationError({"__all__": MSG_NOT_OPEN})


def participation_reference_set(
    *, actor: Any, participation: Participation, reference: str
) -> Participation:
    """The coach's own short reference (empty clears it); refused if it looks like a number."""
    require_assigned(actor, participation.intervention)
    reference = " ".join((reference or "").split())
    if len(reference) > REFERENCE_MAX:
        raise ValidationError(
            {"own_reference": _("Egen referens: högst %(max)s tecken.") % {"max": REFERENCE_MAX}}
        )
    if contains_identifier(reference):
        raise ValidationError({"own_reference": MSG_REFERENCE_PNR})
    with transaction.atomic():
        participation.own_reference = reference
        participation.save(update_fields=["own_reference"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=participation,
            association=participation.intervention.association_id,
            details={
                "intervention": participation.intervention_id,
                "own_reference": "ändrad" if reference else "borttagen",
            },
        )
    return participation


def participation_coach_move(
    *, actor: Any, participation: Participation, coach: Any
) -> Participation:
    """Move a participation to another deltagaransvarig assigned to the same insats."""
    intervention = participation.intervention
    require_assigned(actor, intervention)
    _require_movable(participation)
    if coach is None or not InterventionAssignment.objects.filter(
        intervention=intervention, user=coach
    ).exists():
        raise ValidationError({"coach": MSG_COACH})
    before = participation.current_coach_id
    if before == coach.pk:
        raise ValidationError({"coach": MSG_SAME_COACH})
    with transaction.atomic():
        participation.coach = coach
        participation.save(update_fields=["coach"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=participation,
            association=intervention.association_id,
            details={"intervention": intervention.pk, "coach_before": before, "coach": coach.pk},
        )
    return participation


def participation_intervention_move(
    *, actor: Any, participation: Participation, target: Intervention | None
) -> Participation:
    """Move an open participation, with its measurements, to another insats of the förbund.

    The actor must be assigned to both insatser; the target must follow up identified
    participants and the person may not already take part in it.
    """
    source = participation.intervention
    require_assigned(actor, source)
    _require_movable(participation)
    if (
        target is None
        or target.pk == source.pk
        or target.association_id != source.association_id
        or target.follow_up_method != FollowUpMethod.IDENTIFIED
    ):
        raise ValidationError({"target": MSG_TARGET})
    require_assigned(actor, target)
    with transaction.atomic():
        taken = (
            Participation.objects.select_for_update()
            .filter(
                intervention=target, person_id=participation.person_id, end_date__isnull=True,
                is_error=False,
            )
            .exists()
        )
        if taken:
            raise ValidationError({"target": MSG_TARGET_OPEN})
        participation.intervention = target
        if participation.coach_id is None:
            participation.coach_id = participation.created_by_id
        participation.save(update_fields=["intervention", "coach"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=participation,
            association=source.association_id,
            details={"intervention_before": source.pk, "intervention": target.pk},
        )
        refresh_participation_facts([participation.pk])
    return participation

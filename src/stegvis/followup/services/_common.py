"""What the follow-up services share: the names they write as actor, the assignment check and
whether consent covers follow-up.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from stegvis.access import scope
from stegvis.followup.models import (
    Closure,
)
from stegvis.participants.models import (
    Consent,
    Measurement,
    Participation,
)

SYSTEM = "system"
SELF_REPORT = "självrapportering"


def _require_assigned(actor: Any, participation: Participation) -> None:
    if participation.intervention_id not in scope.assigned_intervention_ids(actor):
        raise PermissionDenied


def _consent_covers_follow_up(participation: Participation) -> bool:
    consent = Consent.objects.filter(participation=participation).first()
    return bool(
        consent
        and consent.scope_follow_up
        and consent.withdrawn_at is None
        and participation.consent_withdrawn_at is None
        and not participation.is_error
    )


def _resolved(participation: Participation, occasion: str) -> bool:
    return (
        Measurement.objects.filter(participation=participation, occasion=occasion).exists()
        or Closure.objects.filter(participation=participation, occasion=occasion).exists()
    )

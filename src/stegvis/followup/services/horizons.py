"""The förbund's follow-up horizons: 3, 6 and 12 months, or also 24 and 36 months."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.associations import versions
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.followup.models import HorizonSetting


def horizons_set(*, actor: Any, association: Any, long_horizons: bool) -> HorizonSetting:
    """Whether the förbund also follows up 24 and 36 months after the end (a förbunds-
    administratör of it, or a systemadministratör). Audited; the reports are recomputed.
    Follow-ups already measured or closed at 24/36 months are kept when the option is turned
    off; they just no longer appear on the worklist or in the reports."""
    scope.require(actor, Capability.MANAGE_ASSOCIATION, association)
    with transaction.atomic():
        setting, created = HorizonSetting.objects.select_for_update().get_or_create(
            association=association,
            defaults={"long_horizons": long_horizons, "changed_by": actor},
        )
        before = False if created else setting.long_horizons
        if not created:
            setting.long_horizons = long_horizons
            setting.changed_by = actor
            setting.save(update_fields=["long_horizons", "changed_by", "changed"])
        record_event(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=setting,
            association=association.pk,
            details={"long_horizons": long_horizons, "before": before},
        )
        versions.bump([association.pk])
    return setting

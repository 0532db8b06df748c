"""Writes that correct or remove a volume count (issue 11). Transactional and audited.

Recording a new count is ``services.volume_count_record``; the same rules apply to a
correction, with the count's own period left out of the overlap check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions import domain
from stegvis.interventions.models import Intervention, VolumeCount
from stegvis.lib.problems import Problem


def raise_problems(errors: list[Problem]) -> None:
    if errors:
        grouped: dict[str, list[str]] = {}
        for e in errors:
            grouped.setdefault(e.field, []).append(e.message)
        raise ValidationError(grouped)


def _values(count: VolumeCount) -> dict[str, Any]:
    return {
        "period_start": count.period_start.isoformat(),
        "period_end": count.period_end.isoformat(),
        "total": count.total,
        "women": count.women,
        "men": count.men,
    }


def _problems(
    intervention: Intervention,
    period_start: dt.date | None,
    period_end: dt.date | None,
    total: int | None,
    women: int | None,
    men: int | None,
    *,
    exclude_pk: int | None,
) -> list[Problem]:
    errors: list[Problem] = []
    if period_start is None:
        errors.append(Problem("period_start", _("Periodens början: ange ett datum.")))
    if period_end is None:
        errors.append(Problem("period_end", _("Periodens slut: ange ett datum.")))
    if total is None:
        errors.append(Problem("total", _("Antal totalt: ange ett antal.")))
    if errors:
        return errors
    assert period_start is not None and period_end is not None and total is not None
    errors += domain.volume_errors(
        period_start, period_end, total, women, men, today=timezone.localdate()
    )
    if period_start < intervention.start_date or (
        intervention.end_date is not None and period_end > intervention.end_date
    ):
        errors.append(
            Problem(
                "period_start", _("Periodens början: perioden måste ligga inom insatsens tid.")
            )
        )
    overlapping = VolumeCount.objects.filter(
        intervention=intervention, period_start__lte=period_end, period_end__gte=period_start
    ).exclude(pk=exclude_pk)
    for other in overlapping[:3]:
        errors.append(
            Problem(
                "period_start",
                _(
                    "Periodens början: perioden överlappar den registrerade perioden "
                    "%(start)s–%(end)s."
                )
                % {"start": other.period_start.isoformat(), "end": other.period_end.isoformat()},
            )
        )
    return errors


def volume_count_update(
    *,
    actor: Any,
    count: VolumeCount,
    period_start: dt.date | None,
    period_end: dt.date | None,
    total: int | None,
    women: int | None = None,
    men: int | None = None,
) -> VolumeCount:
    """Correct a registered volume count (period and numbers)."""
    intervention = count.intervention
    scope.require(actor, Capability.MANAGE_INTERVENTIONS, intervention.association)
    raise_problems(_problems(intervention, period_start, period_end, total, women, men,
                     exclude_pk=count.pk))
    with transaction.atomic():
        locked = VolumeCount.objects.select_for_update().get(pk=count.pk)
        before = _values(locked)
        locked.period_start = period_start
        locked.period_end = period_end
        locked.total = total
        locked.women = women
        locked.men = men
        locked.save()
        after = _values(locked)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "changes": {k: {"from": before[k], "to": after[k]}
                            for k in after if before[k] != after[k]},
            },
        )
    return locked


def volume_count_remove(*, actor: Any, count: VolumeCount) -> None:
    """Remove a volume count registered by mistake (the audit event keeps its values)."""
    intervention = count.intervention
    scope.require(actor, Capability.MANAGE_INTERVENTIONS, intervention.association)
    with transaction.atomic():
        locked = VolumeCount.objects.select_for_update().filter(pk=count.pk).first()
        if locked is None:
            raise ValidationError({"count": [_("Volymräkningen är redan borttagen.")]})
        pk = locked.pk
        values = _values(locked)
        locked.delete()
        record_event(
            actor=actor,
            action=Action.DELETE,
            object_type="interventions.volumecount",
            object_id=pk,
            association=intervention.association_id,
            details={"intervention": intervention.pk, **values},
        )

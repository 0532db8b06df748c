"""Counts of an insats: the volume count of participations, and anonymous participants by start
year and sex (set by hand, or added when consent is withdrawn).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.associations import versions
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions import domain
from stegvis.interventions.models import (
    AnonymousCount,
    FollowUpMethod,
    Intervention,
    VolumeCount,
)
from stegvis.interventions.services._common import _manage_intervention, _require_manage
from stegvis.lib import dates
from stegvis.lib.errors import raise_problems
from stegvis.lib.problems import Problem
from stegvis.lib.services import service


@service(_manage_intervention)
def volume_count_record(
    *,
    actor: Any,
    intervention: Intervention,
    period_start: dt.date,
    period_end: dt.date,
    total: int,
    women: int | None = None,
    men: int | None = None,
) -> VolumeCount:
    """Record how many took part in a volume insats during a period."""
    errors: list[Problem] = []
    if intervention.follow_up_method != FollowUpMethod.VOLUME:
        errors.append(
            Problem(
                "total",
                _(
                    "Antal totalt: volymräkning kan bara registreras för insatser som följs upp "
                    "med volym."
                ),
            )
        )
    if period_start is None:
        errors.append(Problem("period_start", _("Periodens början: ange ett datum.")))
    if period_end is None:
        errors.append(Problem("period_end", _("Periodens slut: ange ett datum.")))
    if total is None:
        errors.append(Problem("total", _("Antal totalt: ange ett antal.")))
    raise_problems(errors)
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
    ).exists()
    if overlapping:
        errors.append(
            Problem(
                "period_start",
                _("Periodens början: perioden överlappar en redan registrerad period."),
            )
        )
    raise_problems(errors)
    vc = VolumeCount.objects.create(
        intervention=intervention,
        period_start=period_start,
        period_end=period_end,
        total=total,
        women=women,
        men=men,
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=vc,
        association=intervention.association_id,
        details={
            "intervention": intervention.pk,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "total": total,
            "women": women,
            "men": men,
        },
    )
    return vc


def _check_anonymous(intervention: Intervention, start_year: int) -> list[Problem]:
    errors: list[Problem] = []
    if intervention.follow_up_method == FollowUpMethod.VOLUME:
        errors.append(
            Problem(
                "start_year",
                _(
                    "Startår: anonyma räkningar kan inte registreras för en insats som följs upp "
                    "med volym."
                ),
            )
        )
    if start_year is None:
        errors.append(Problem("start_year", _("Startår: ange ett år.")))
    elif problem := dates.year_problem(_("Startår"), start_year, today=timezone.localdate()):
        errors.append(Problem("start_year", problem))
    else:
        last = intervention.end_date.year if intervention.end_date else None
        if start_year < intervention.start_date.year or (last is not None and start_year > last):
            errors.append(
                Problem(
                    "start_year",
                    _(
                        "Startår: deltagare kan bara ha startat under insatsens tid "
                        "(%(first)s–%(last)s)."
                    )
                    % {"first": intervention.start_date.year, "last": last or ""},
                )
            )
    return errors


@service(_manage_intervention)
def anonymous_count_set(
    *, actor: Any, intervention: Intervention, start_year: int, women: int, men: int
) -> AnonymousCount:
    """Set the anonymous count of women and men who started in ``start_year``."""
    errors = _check_anonymous(intervention, start_year)
    if women is None or men is None:
        errors.append(Problem("women", _("Kvinnor: ange antal kvinnor och män.")))
    else:
        errors += domain.count_errors(women, men)
    raise_problems(errors)
    ac, created = AnonymousCount.objects.select_for_update().get_or_create(
        intervention=intervention, start_year=start_year
    )
    before = None if created else {"women": ac.women, "men": ac.men}
    ac.women, ac.men = women, men
    ac.save()
    record_event(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=ac,
        association=intervention.association_id,
        details={
            "intervention": intervention.pk,
            "start_year": start_year,
            "from": before,
            "to": {"women": women, "men": men},
        },
    )
    return ac


def anonymous_count_add(
    *, actor: Any, intervention: Intervention, start_year: int, sex: str
) -> AnonymousCount:
    """Add one person (``sex`` "K" or "M") to the anonymous count of ``start_year``.

    Used when a participant withdraws consent or has protected identity. Allowed for users
    who manage insatser in the förbund and for the deltagaransvarig assigned to the insats.
    The audit event holds only the insats, year and sex, never the person.
    """
    if intervention.pk not in scope.assigned_intervention_ids(actor):
        _require_manage(actor, intervention.association)
    errors = _check_anonymous(intervention, start_year)
    if sex not in ("K", "M"):
        errors.append(Problem("sex", _("Kön: ange K (kvinna) eller M (man).")))
    raise_problems(errors)
    field = "women" if sex == "K" else "men"
    with transaction.atomic():
        ac, _created = AnonymousCount.objects.select_for_update().get_or_create(
            intervention=intervention, start_year=start_year
        )
        AnonymousCount.objects.filter(pk=ac.pk).update(**{field: F(field) + 1})
        versions.bump([intervention.association_id])  # .update() sends no signal (ADR 0012)
        ac.refresh_from_db()
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=ac,
            association=intervention.association_id,
            details={"intervention": intervention.pk, "start_year": start_year, "added": sex},
        )
    return ac

"""Measurements: recording one at an occasion and correcting it (each refreshes the facts).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib.errors import raise_problems
from stegvis.participants import domain, followup, hooks
from stegvis.participants.domain import (
    MeasurementInput,
)
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import (
    Consent,
    Measurement,
    Occasion,
    Participation,
)
from stegvis.participants.services._common import (
    _catalogue,
    _resolve,
    _write_measurement,
    _write_measurement_children,
    measurement_snapshot,
    require_assigned,
)

# --- measurements --------------------------------------------------------------------------


def consent_covers_follow_up(participation: Participation) -> bool:
    consent = Consent.objects.filter(participation=participation).first()
    return bool(consent and consent.scope_follow_up and consent.withdrawn_at is None)


MSG_OCCASION_TAKEN = gettext_noop("Mättillfälle: det här mättillfället är redan registrerat.")
MSG_NO_LONG_HORIZON = gettext_noop(
    "Mättillfälle: förbundet följer inte upp 24 och 36 månader efter avslut."
)


def measurement_record(
    *,
    actor: Any,
    participation: Participation,
    occasion: str,
    measurement: MeasurementInput,
) -> Measurement:
    """Record an interim measurement or a follow-up 3, 6, 12 (24, 36) months after the end."""
    intervention = participation.intervention
    require_assigned(actor, intervention)
    if participation.consent_withdrawn_at is not None or participation.is_error:
        raise ValidationError({"occasion": _("Mättillfälle: deltagandet kan inte längre mätas.")})
    assert participation.start_date is not None
    catalogue, book, _municipality = _catalogue(
        association_id=intervention.association_id, measurements=[measurement]
    )
    problems = domain.later_measurement_problems(
        occasion=occasion,
        start_date=participation.start_date,
        end_date=participation.end_date,
        consent_follow_up=consent_covers_follow_up(participation),
        closed=(
            occasion in followup.FOLLOW_UP_MONTHS
            and hooks.follow_up().closure_exists(participation, occasion)
        ),
        measurement=measurement,
        cat=catalogue,
    )
    if occasion in followup.FOLLOW_UP_MONTHS and occasion not in hooks.follow_up().schedule_for(
        intervention.association_id
    ):
        problems.append(domain.Problem("occasion", _(MSG_NO_LONG_HORIZON)))
    if (
        occasion != Occasion.INTERIM
        and Measurement.objects.filter(participation=participation, occasion=occasion).exists()
    ):
        problems.append(domain.Problem("occasion", _(MSG_OCCASION_TAKEN)))
    raise_problems(problems)
    assert measurement.date is not None
    resolved = _resolve(measurement, occasion=occasion, day=measurement.date, book=book)
    try:
        with transaction.atomic():
            m = _write_measurement(
                actor=actor, participation=participation, occasion=occasion, r=resolved
            )
            record_event(
                actor=actor,
                action=Action.CREATE,
                obj=m,
                association=intervention.association_id,
                details={
                    "intervention": intervention.pk,
                    "participation": participation.pk,
                    "occasion": occasion,
                    "measurement": resolved.codes(),
                },
            )
            refresh_participation_facts([participation.pk])
    except IntegrityError:
        raise ValidationError({"occasion": _(MSG_OCCASION_TAKEN)}) from None
    return m


def measurement_correct(
    *, actor: Any, measurement: Measurement, values: MeasurementInput
) -> Measurement:
    """Replace a measurement's values; the old values stay in the audit trail (as codes)."""
    participation = measurement.participation
    intervention = participation.intervention
    require_assigned(actor, intervention)
    if participation.consent_withdrawn_at is not None:
        raise ValidationError({"occasion": _("Mättillfälle: deltagandet kan inte längre ändras.")})
    day = values.date or measurement.date
    catalogue, book, _municipality = _catalogue(
        association_id=intervention.association_id, measurements=[values]
    )
    problems = domain.measurement_problems(
        values, occasion=measurement.occasion, day=day, cat=catalogue
    )
    if measurement.occasion == Occasion.START and day != participation.start_date:
        problems.append(
            domain.Problem("measurement_date", _("Mätdatum: startmätningen görs på startdatumet."))
        )
    if measurement.occasion == Occasion.END and day != participation.end_date:
        problems.append(
            domain.Problem("measurement_date", _("Mätdatum: slutmätningen görs på slutdatumet."))
        )
    raise_problems(problems)
    resolved = _resolve(values, occasion=measurement.occasion, day=day, book=book)
    with transaction.atomic():
        before = measurement_snapshot(measurement)
        measurement.date = resolved.date
        measurement.education_level = resolved.education_level
        measurement.public_support_duration = resolved.public_support_duration
        measurement.step = resolved.step
        for name, value in resolved.ratings.items():
            setattr(measurement, name, value)
        measurement.save()
        measurement.activities.all().delete()
        measurement.supplementary_answers.all().delete()
        _write_measurement_children(measurement, resolved)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=measurement,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "participation": participation.pk,
                "occasion": measurement.occasion,
                "before": before,
                "after": resolved.codes(),
            },
        )
        refresh_participation_facts([participation.pk])
    return measurement

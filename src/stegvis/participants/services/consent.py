"""Felregistrering, withdrawal of consent and revealing who a participant is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event
from stegvis.interventions.services import anonymous_count_add
from stegvis.lib import crypto
from stegvis.participants import hooks
from stegvis.participants.domain import (
    EXIT_REASON_ERROR,
)
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import (
    Consent,
    Measurement,
    Participation,
    Person,
)
from stegvis.participants.services._common import MSG_ERASED, require_assigned
from stegvis.reference.models import Code, CodeList

# --- felregistrering, consent withdrawal, reveal -------------------------------------------


def participation_mark_error(
    *, actor: Any, participation: Participation, reason: str
) -> Participation:
    """Felregistrering: the participation leaves all statistics; the audit trail stays.

    The reason (free text without personnummer) is kept in the audit event.
    """
    intervention = participation.intervention
    require_assigned(actor, intervention)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": _("Anledning: beskriv varför deltagandet är en felregistrering.")}
        )
    if contains_identifier(reason):
        raise ValidationError({"reason": _("Anledning: skriv anledningen utan personnummer.")})
    if participation.is_error:
        raise ValidationError({"is_error": _("Felregistrering: deltagandet är redan markerat.")})
    if hasattr(participation, "retention_erasure"):
        raise ValidationError({"is_error": _(MSG_ERASED)})
    with transaction.atomic():
        code = Code.objects.filter(list=CodeList.EXIT_REASON, key=EXIT_REASON_ERROR).first()
        previous = getattr(participation.exit_reason, "key", None)
        participation.is_error = True
        if code is not None:
            participation.exit_reason = code
        participation.save(update_fields=["is_error", "exit_reason"])
        hooks.erase(participation=participation, why=hooks.ERROR)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=participation,
            association=intervention.association_id,
            reason=reason,
            details={
                "intervention": intervention.pk,
                "is_error": True,
                "exit_reason_before": previous,
            },
        )
        refresh_participation_facts([participation.pk])
    return participation


def _withdrawal_day(participation: Participation, withdrawn_on: dt.date | None) -> dt.date:
    """The day consent was withdrawn (today when not given): refused when consent is already
    withdrawn or erased, or the day lies in the future or before consent was given."""
    if participation.consent_withdrawn_at is not None:
        raise ValidationError({"consent": _("Samtycke: samtycket är redan återkallat.")})
    if hasattr(participation, "retention_erasure"):
        raise ValidationError({"consent": _(MSG_ERASED)})
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    consent_given = Consent.objects.filter(participation=participation).first()
    if withdrawn_on > today:
        raise ValidationError(
            {
                "withdrawn_on": _(
                    "Datum då samtycket återkallades: datumet kan inte ligga i framtiden."
                )
            }
        )
    if consent_given is not None and withdrawn_on < consent_given.date:
        raise ValidationError(
            {
                "withdrawn_on": _(
                    "Datum då samtycket återkallades: datumet kan inte vara före "
                    "samtyckesdatumet %(date)s."
                )
                % {"date": consent_given.date.isoformat()}
            }
        )
    return withdrawn_on


def _erase_identified(
    participation: Participation, now: dt.datetime, withdrawn_at: dt.datetime
) -> tuple[int, bool]:
    """Erase the measurements, the identity link and what could identify the person; the
    person too when no other participation is left. (measurements erased, person deleted)"""
    person_id = participation.person_id
    measurements = Measurement.objects.filter(participation=participation)
    erased = measurements.count()
    measurements.delete()
    participation.person = None
    participation.residence = None
    participation.referred_by = None
    if not participation.is_error:
        participation.exit_reason = None
    participation.age_at_start = None
    participation.start_date = None
    participation.end_date = None
    participation.idempotency_key = None
    participation.consent_withdrawn_at = now
    participation.save()
    hooks.erase(participation=participation, why=hooks.WITHDRAWAL)
    Consent.objects.filter(participation=participation).update(withdrawn_at=withdrawn_at)
    consent = Consent.objects.filter(participation=participation).first()
    if consent is not None:
        consent.sharing_parties.clear()
    person_deleted = False
    if (
        person_id is not None
        and not Participation.objects.filter(person_id=person_id).exists()
    ):
        Person.objects.filter(pk=person_id).delete()
        person_deleted = True
    return erased, person_deleted


def consent_withdraw(
    *, actor: Any, participation: Participation, withdrawn_on: dt.date | None = None
) -> Participation:
    """Withdrawn consent: erase identity link and measurements; keep only an anonymous count.

    ``withdrawn_on`` is the day the person withdrew consent (today when not given); it may
    not lie in the future nor before the consent was given, and is kept on the consent.

    The participation row keeps sex and year of start (for the record) and is excluded from
    identified statistics; the person is added to the insats's anonymous count. A person with
    no other participation is deleted altogether.
    """
    intervention = participation.intervention
    require_assigned(actor, intervention)
    now = timezone.now()
    withdrawn_on = _withdrawal_day(participation, withdrawn_on)
    withdrawn_at = timezone.make_aware(dt.datetime.combine(withdrawn_on, dt.time(12)))
    with transaction.atomic():
        erased, person_deleted = _erase_identified(participation, now, withdrawn_at)
        counted = False
        if not participation.is_error:
            anonymous_count_add(
                actor=actor,
                intervention=intervention,
                start_year=participation.start_year,
                sex=participation.sex,
            )
            counted = True
        record_event(
            actor=actor,
            action=Action.DELETE,
            obj=participation,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "consent_withdrawn": True,
                "withdrawn_on": withdrawn_on.isoformat(),
                "measurements_erased": erased,
                "person_deleted": person_deleted,
                "anonymous_count": {"start_year": participation.start_year, "added": counted},
            },
        )
        refresh_participation_facts([participation.pk])
    return participation


def person_reveal(*, actor: Any, participation: Participation, reason: str) -> str:
    """The full number (``ÅÅÅÅMMDD-NNNN``) of the participant; writes READ with the reason."""
    intervention = participation.intervention
    require_assigned(actor, intervention)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": _("Anledning: beskriv varför du behöver se personnumret.")}
        )
    if contains_identifier(reason):
        raise ValidationError({"reason": _("Anledning: skriv anledningen utan personnummer.")})
    if participation.person_id is None:
        raise ValidationError({"reason": _("Anledning: deltagandet har ingen identitet.")})
    person = Person.objects.get(pk=participation.person_id)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.READ,
            obj=participation,
            association=intervention.association_id,
            reason=reason,
            details={"revealed": "personnummer", "person": person.pk},
        )
    normalised = crypto.decrypt(person.identity_ciphertext)
    return f"{normalised[:8]}-{normalised[8:]}"

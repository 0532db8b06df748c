"""Closing a follow-up with a reason (not reached, declined, ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.followup import selectors
from stegvis.followup.models import (
    Closure,
)
from stegvis.followup.services._common import (
    _consent_covers_follow_up,
    _require_assigned,
    _resolved,
)
from stegvis.followup.services.contacts import erase_contact_if_done
from stegvis.lib.errors import Errors
from stegvis.participants import followup
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import (
    Participation,
)
from stegvis.reference.models import Code, CodeList

# --- closing a follow-up with a reason -----------------------------------------------------


def follow_up_close(
    *,
    actor: Any,
    participation: Participation,
    occasion: str,
    reason: str | None,
    date: dt.date | None,
) -> Closure:
    """Close a follow-up without a measurement (ej nådd, avböjt, avliden, …) on ``date``."""
    _require_assigned(actor, participation)
    errors = Errors()
    today = timezone.localdate()
    occasions = selectors.schedule_for(participation.intervention.association_id)
    if occasion not in occasions:
        months = [str(followup.FOLLOW_UP_MONTHS[o]) for o in occasions]
        errors.add(
            "occasion",
            _("Uppföljning: välj %(months)s eller %(last)s månader.")
            % {"months": ", ".join(months[:-1]), "last": months[-1]},
        )
    elif participation.end_date is None:
        errors.add("occasion", _("Uppföljning: deltagandet är inte avslutat."))
    elif not _consent_covers_follow_up(participation):
        errors.add("occasion", _("Uppföljning: samtycket omfattar inte uppföljning efter avslut."))
    elif _resolved(participation, occasion):
        errors.add("occasion", _("Uppföljning: uppföljningen är redan registrerad eller avslutad."))
    if date is None:
        errors.add("date", _("Datum: ange ett datum."))
    elif date > today:
        errors.add("date", _("Datum: datumet kan inte ligga i framtiden."))
    elif participation.end_date is not None and date < participation.end_date:
        errors.add("date", _("Datum: datumet kan inte vara före deltagandets slutdatum."))
    code = None
    if not reason:
        errors.add("reason", _("Skäl: välj ett skäl."))
    else:
        code = Code.objects.filter(list=CodeList.FOLLOWUP_CLOSURE, key=reason).first()
        day = date or today
        if code is None or code.valid_from > day or (
            code.valid_to is not None and code.valid_to < day
        ):
            errors.add("reason", _("Skäl: välj ett giltigt skäl."))
    errors.raise_if_any()
    assert code is not None and date is not None
    return closure_create(actor=actor, participation=participation, occasion=occasion, code=code,
                  date=date)


def closure_create(
    *, actor: Any, participation: Participation, occasion: str, code: Code, date: dt.date,
    username: str = "",
) -> Closure:
    """Write a closure the caller has already checked (a valid reason code, a date), with its
    audit event and the fact refresh, in one transaction. Raises ValidationError if the
    occasion is already registered or closed."""
    try:
        with transaction.atomic():
            closure = Closure.objects.create(
                participation=participation,
                occasion=occasion,
                reason=code,
                date=date,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            record_event(
                actor=actor,
                username=username,
                action=Action.CREATE,
                obj=closure,
                association=participation.intervention.association_id,
                details={
                    "participation": participation.pk,
                    "occasion": occasion,
                    "reason": code.key,
                    "date": date.isoformat(),
                },
            )
            refresh_participation_facts([participation.pk])
            erase_contact_if_done(participation=participation, today=date)
    except IntegrityError:
        raise ValidationError(
            {"occasion": _("Uppföljning: uppföljningen är redan registrerad eller avslutad.")}
        ) from None
    return closure

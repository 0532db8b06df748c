"""The participant's side: opening a one-time link, answering the follow-up or declining it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.followup import rules
from stegvis.followup.models import (
    Closure,
    Invitation,
    InvitationToken,
)
from stegvis.followup.services._common import SELF_REPORT, _consent_covers_follow_up, _resolved
from stegvis.followup.services.closure import closure_create
from stegvis.followup.services.contacts import erase_contact_if_done
from stegvis.lib.errors import Errors
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import (
    Measurement,
    MeasurementActivity,
    MeasurementSource,
)
from stegvis.reference.models import Code, CodeList

# --- the participant's side ----------------------------------------------------------------


def invitation_for_token(token: str, *, today: dt.date | None = None) -> Invitation | None:
    """The open invitation of a link, or ``None`` if it is forged, expired or used."""
    if not rules.looks_like_token(token):
        return None
    today = today or timezone.localdate()
    row = (
        InvitationToken.objects.filter(token_hash=rules.token_hash(token))
        .select_related("invitation__participation__intervention")
        .first()
    )
    if row is None:
        return None
    invitation = row.invitation
    p = invitation.participation
    if (
        invitation.used
        or not invitation.valid_from <= today <= invitation.valid_until
        or not _consent_covers_follow_up(p)
        or _resolved(p, invitation.occasion)
    ):
        return None
    return invitation


def invitation_answered(token: str) -> Invitation | None:
    """The invitation of a link already answered (for an idempotent second submit)."""
    if not rules.looks_like_token(token):
        return None
    row = (
        InvitationToken.objects.filter(token_hash=rules.token_hash(token))
        .select_related("invitation")
        .first()
    )
    if row is None or not row.invitation.used:
        return None
    return row.invitation


def invitation_opened(*, invitation: Invitation) -> None:
    if invitation.opened_at is not None:
        return
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        record_event(
            actor=None,
            username=SELF_REPORT,
            action=Action.READ,
            obj=invitation,
            association=invitation.participation.intervention.association_id,
            details={"participation": invitation.participation_id,
                     "occasion": invitation.occasion, "opened": True},
        )


@dataclass
class SelfReport:
    activity: str
    extent_pct: int
    income_sources: list[str]
    rating_work: int | None = None
    rating_health: int | None = None
    rating_future: int | None = None


def self_report_submit(*, invitation: Invitation, answers: SelfReport) -> Measurement:
    """Create the follow-up measurement marked *självrapporterad*. A repeat returns the first."""
    today = timezone.localdate()
    codes = {
        (c.list, c.key): c
        for c in Code.objects.valid_on(today).filter(
            Q(list=CodeList.ACTIVITY, key=answers.activity)
            | Q(list=CodeList.INCOME_SOURCE, key__in=answers.income_sources)
        )
    }
    errors = Errors()
    activity = codes.get((CodeList.ACTIVITY, answers.activity))
    if activity is None:
        errors.add("activity", _("Välj det som stämmer bäst."))
    if not 0 <= answers.extent_pct <= 100:
        errors.add("extent", _("Välj hur mycket."))
    sources = [
        codes.get((CodeList.INCOME_SOURCE, k)) for k in dict.fromkeys(answers.income_sources)
    ]
    if not sources or None in sources:
        errors.add("income_sources", _("Kryssa i minst ett alternativ."))
    for name in ("rating_work", "rating_health", "rating_future"):
        value = getattr(answers, name)
        if value is not None and not 1 <= value <= 10:
            errors.add(name, _("Välj ett värde från 1 till 10."))
    errors.raise_if_any()
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered_at is not None and locked.measurement is not None:
            return locked.measurement
        p = locked.participation
        if locked.used or _resolved(p, locked.occasion):
            raise ValidationError({"token": _("Länken kan inte användas.")})
        m = Measurement.objects.create(
            participation=p,
            occasion=locked.occasion,
            date=today,
            rating_work=answers.rating_work,
            rating_health=answers.rating_health,
            rating_future=answers.rating_future,
            source=MeasurementSource.SELF_REPORTED,
        )
        m.income_sources.set([s for s in sources if s is not None])
        assert activity is not None
        MeasurementActivity.objects.create(
            measurement=m, activity=activity, extent_pct=answers.extent_pct
        )
        locked.answered_at = timezone.now()
        locked.measurement = m
        locked.save(update_fields=["answered_at", "measurement"])
        record_event(
            actor=None,
            username=SELF_REPORT,
            action=Action.CREATE,
            obj=m,
            association=p.intervention.association_id,
            details={
                "participation": p.pk,
                "occasion": locked.occasion,
                "source": MeasurementSource.SELF_REPORTED.value,
                "measurement": {
                    "income_sources": sorted(s.key for s in sources if s is not None),
                    "activities": [[activity.key, answers.extent_pct]],
                    "rating_work": answers.rating_work,
                    "rating_health": answers.rating_health,
                    "rating_future": answers.rating_future,
                },
            },
        )
        refresh_participation_facts([p.pk])
        erase_contact_if_done(participation=p, today=today)
    return m


def self_report_decline(*, invitation: Invitation) -> Closure | None:
    """"Jag vill inte svara": the follow-up is closed as *avböjt*. A repeat changes nothing."""
    today = timezone.localdate()
    code = Code.objects.get(list=CodeList.FOLLOWUP_CLOSURE, key=rules.CLOSURE_DECLINED)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used:
            return None
        locked.declined_at = timezone.now()
        locked.save(update_fields=["declined_at"])
        return closure_create(
            actor=None, username=SELF_REPORT, participation=locked.participation,
            occasion=locked.occasion, code=code, date=today,
        )

"""The participant's contact channel for follow-up: recording it, erasing it (on request, with
the participation, or once every follow-up is done) and rotating its encryption keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.followup import rules, selectors
from stegvis.followup.models import (
    ContactChannel,
    Invitation,
)
from stegvis.followup.services._common import (
    SYSTEM,
    _consent_covers_follow_up,
    _require_assigned,
    _resolved,
)
from stegvis.lib import crypto
from stegvis.lib.errors import Errors
from stegvis.participants import followup
from stegvis.participants.models import (
    Participation,
)

# --- the contact channel -------------------------------------------------------------------


def contact_record(
    *,
    actor: Any,
    participation: Participation,
    email: str,
    mobile: str,
    agreed: bool,
) -> ContactChannel:
    """Record (or replace) where the participant agreed to be asked about follow-up."""
    _require_assigned(actor, participation)
    errors = Errors()
    if not _consent_covers_follow_up(participation):
        errors.add("agreed", _("Kontaktväg: samtycket omfattar inte uppföljning efter avslut."))
    elif participation.end_date is not None and all(
        _resolved(participation, o)
        for o in selectors.schedule_for(participation.intervention.association_id)
    ):
        errors.add("agreed", _("Kontaktväg: alla uppföljningar är redan gjorda eller avslutade."))
    if not agreed:
        errors.add(
            "agreed",
            _("Deltagarens godkännande: kryssa i att deltagaren har godkänt kontaktvägen."),
        )
    clean_email = rules.normalise_email(email) if email.strip() else ""
    clean_mobile = rules.normalise_mobile(mobile) if mobile.strip() else ""
    if clean_email is None:
        errors.add("email", _("E-post: ange en e-postadress som namn@exempel.se."))
    if clean_mobile is None:
        errors.add(
            "mobile", _("Mobilnummer: ange ett svenskt mobilnummer, till exempel 070-123 45 67.")
        )
    if not email.strip() and not mobile.strip():
        errors.add("email", _("E-post: ange e-postadress, mobilnummer eller båda."))
    errors.raise_if_any()
    with transaction.atomic():
        channel, created = ContactChannel.objects.update_or_create(
            participation=participation,
            defaults={
                "email_ciphertext": crypto.encrypt(clean_email) if clean_email else "",
                "mobile_ciphertext": crypto.encrypt(clean_mobile) if clean_mobile else "",
                "agreed_on": timezone.localdate(),
                "created_by": actor,
            },
        )
        record_event(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=channel,
            association=participation.intervention.association_id,
            details={
                "participation": participation.pk,
                "email": bool(clean_email),
                "mobile": bool(clean_mobile),
            },
        )
    return channel


def contact_erase(*, actor: Any, participation: Participation, why: str) -> bool:
    """Erase the contact channel (and unused links); ``why`` is a code for the audit event."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        _require_assigned(actor, participation)
    with transaction.atomic():
        deleted, _by_model = ContactChannel.objects.filter(participation=participation).delete()
        if not deleted:
            return False
        record_event(
            actor=actor,
            username=SYSTEM,
            action=Action.DELETE,
            object_type="followup.contactchannel",
            object_id=participation.pk,
            association=participation.intervention.association_id,
            details={"participation": participation.pk, "why": why},
        )
    return True


def erase_for_participation(*, participation: Participation) -> None:
    """Consent withdrawn or felregistrering: erase the contact channel at once, and every link
    when consent is withdrawn. Called by those services inside their transaction."""
    contact_erase(
        actor=None, participation=participation,
        why="consent_withdrawn" if participation.consent_withdrawn_at else "error",
    )
    if participation.consent_withdrawn_at is not None:
        Invitation.objects.filter(participation=participation).delete()


def erase_contact_if_done(*, participation: Participation, today: dt.date) -> bool:
    """Erase the contact once no follow-up can be asked any more (all resolved or lapsed)."""
    if not ContactChannel.objects.filter(participation=participation).exists():
        return False
    if _consent_covers_follow_up(participation) and participation.end_date is not None:
        pending = [
            o for o in selectors.schedule_for(participation.intervention.association_id)
            if not _resolved(participation, o)
            and followup.status(followup.due_date(participation.end_date, o), today)
            != followup.LAPSED
        ]
        if pending:
            return False
        return contact_erase(actor=None, participation=participation, why="last_follow_up")
    if participation.end_date is None and _consent_covers_follow_up(participation):
        return False
    return contact_erase(actor=None, participation=participation, why="consent")


def rotate_contact_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt every contact channel with the newest key of the identity ring."""
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                ContactChannel.objects.select_for_update().filter(pk__gt=last_pk)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return done
            for c in batch:
                if c.email_ciphertext:
                    c.email_ciphertext = crypto.rotate(c.email_ciphertext)
                if c.mobile_ciphertext:
                    c.mobile_ciphertext = crypto.rotate(c.mobile_ciphertext)
            ContactChannel.objects.bulk_update(batch, ["email_ciphertext", "mobile_ciphertext"])
            last_pk = batch[-1].pk
            done += len(batch)

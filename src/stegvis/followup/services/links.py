"""One-time links: sending the due links and reminders, issuing a link by hand, and letters.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.followup import delivery, rules, selectors
from stegvis.followup.models import (
    Channel,
    ContactChannel,
    Invitation,
    InvitationToken,
)
from stegvis.followup.services._common import (
    SYSTEM,
    _consent_covers_follow_up,
    _require_assigned,
    _resolved,
)
from stegvis.followup.services.contacts import erase_contact_if_done
from stegvis.followup.sms import sms_sender
from stegvis.lib import crypto
from stegvis.participants import followup
from stegvis.participants.models import (
    Participation,
)

log = logging.getLogger("stegvis.followup.services")  # the name it logged under before the split


# --- one-time links ------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    reminded: int = 0
    failed: int = 0
    erased: int = 0
    no_channel: int = 0


def _new_token(invitation: Invitation) -> str:
    token = rules.new_token()
    InvitationToken.objects.create(invitation=invitation, token_hash=rules.token_hash(token))
    return token


def _deliver(channel: ContactChannel, invitation: Invitation, token: str, *, reminder: bool,
             base_url: str | None) -> str | None:
    """Send the link by e-mail (preferred) or SMS; the channel used, or ``None``."""
    link = delivery.link_for(token, base_url)
    until = invitation.valid_until.isoformat()
    if channel.email_ciphertext and not settings.EMAIL_BACKEND.endswith("dummy.EmailBackend"):
        delivery.send_email(to=crypto.decrypt(channel.email_ciphertext), link=link,
                            valid_until=until, reminder=reminder)
        return Channel.EMAIL
    sender = sms_sender()
    if channel.mobile_ciphertext and sender is not None:
        sender.send(to=crypto.decrypt(channel.mobile_ciphertext),
                    text=delivery.sms_text(link=link, valid_until=until, reminder=reminder))
        return Channel.SMS
    return None


def send_due_links(
    *, today: dt.date | None = None, base_url: str | None = None,
    reminder_days: int | None = None,
) -> SendResult:
    """Send every link whose window has opened, and every reminder that is due (idempotent).

    A link goes out once per follow-up (``Invitation`` is unique per follow-up and marked sent
    only after delivery); a reminder once, ``reminder_days`` after the link, while the window is
    open and the link is neither answered nor declined. Contacts no longer needed are erased.
    """
    today = today or timezone.localdate()
    days = settings.STEGVIS_FOLLOWUP_REMINDER_DAYS if reminder_days is None else reminder_days
    result = SendResult()
    channels = ContactChannel.objects.select_related(
        "participation__intervention", "participation__consent"
    )
    long = selectors.long_horizon_ids()
    for channel in channels:
        p = channel.participation
        if erase_contact_if_done(participation=p, today=today):
            result.erased += 1
            continue
        if p.end_date is None:
            continue
        for occasion in followup.schedule(p.intervention.association_id in long):
            first, last = followup.window(p.end_date, occasion)
            if not first <= today <= last or _resolved(p, occasion):
                continue
            try:
                _send_one(channel, p, occasion, first, last, today, days, base_url, result)
            except Exception:  # one bad address must not stop the others
                log.exception("follow-up link could not be sent (participation %s)", p.pk)
                result.failed += 1
    return result


def _send_one(
    channel: ContactChannel, p: Participation, occasion: str, first: dt.date, last: dt.date,
    today: dt.date, days: int, base_url: str | None, result: SendResult,
) -> None:
    now = timezone.now()
    with transaction.atomic():
        invitation, _created = Invitation.objects.get_or_create(
            participation=p, occasion=occasion,
            defaults={"channel": Channel.EMAIL if channel.email_ciphertext else Channel.SMS,
                      "valid_from": first, "valid_until": last},
        )
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used:
            return
        if invitation.sent_at is None:
            reminder = False
        elif (
            invitation.reminded_at is None
            and invitation.sent_at.date() <= today - dt.timedelta(days=days)
        ):
            reminder = True
        else:
            return
        token = _new_token(invitation)
        used = _deliver(channel, invitation, token, reminder=reminder, base_url=base_url)
        if used is None:
            result.no_channel += 1
            transaction.set_rollback(True)
            return
        if reminder:
            invitation.reminded_at = now
            result.reminded += 1
        else:
            invitation.sent_at = now
            invitation.channel = used
            result.sent += 1
        invitation.save(update_fields=["reminded_at", "sent_at", "channel"])
        record_event(
            actor=None,
            username=SYSTEM,
            action=Action.EXPORT,
            obj=invitation,
            association=p.intervention.association_id,
            details={"participation": p.pk, "occasion": occasion, "channel": used,
                     "reminder": reminder},
        )


def link_issue(
    *, actor: Any, participation: Participation, occasion: str, channel: str
) -> tuple[Invitation, str]:
    """A new one-time link for a follow-up whose window is open, handed over by ``channel``
    outside Stegvis (a printed letter); audited. Returns the invitation and the token."""
    _require_assigned(actor, participation)
    today = timezone.localdate()
    if (
        participation.end_date is None
        or occasion not in selectors.schedule_for(participation.intervention.association_id)
        or not _consent_covers_follow_up(participation)
    ):
        raise ValidationError({"occasion": _("Länk: uppföljningen kan inte skickas.")})
    first, last = followup.window(participation.end_date, occasion)
    if not first <= today <= last:
        raise ValidationError({"occasion": _("Länk: uppföljningens tidsfönster är inte öppet.")})
    if _resolved(participation, occasion):
        raise ValidationError({"occasion": _("Länk: uppföljningen är redan gjord eller avslutad.")})
    with transaction.atomic():
        invitation, _created = Invitation.objects.get_or_create(
            participation=participation, occasion=occasion,
            defaults={"channel": channel, "valid_from": first, "valid_until": last},
        )
        token = _new_token(invitation)
        if invitation.sent_at is None:
            invitation.sent_at = timezone.now()
            invitation.channel = channel
            invitation.save(update_fields=["sent_at", "channel"])
        record_event(
            actor=actor,
            action=Action.EXPORT,
            obj=invitation,
            association=participation.intervention.association_id,
            details={"participation": participation.pk, "occasion": occasion,
                     "channel": channel},
        )
    return invitation, token


def letter_create(
    *, actor: Any, participation: Participation, occasion: str, base_url: str | None = None
) -> bytes:
    """A printable letter (PDF) with a new one-time link for a follow-up whose window is open."""
    invitation, token = link_issue(
        actor=actor, participation=participation, occasion=occasion, channel=Channel.LETTER
    )
    return delivery.letter_pdf(
        link=delivery.link_for(token, base_url), valid_until=invitation.valid_until.isoformat()
    )



"""Writes of follow-ups after the end. Each one transactional and audited.

No audit detail holds a contact address, a token or a personnummer: ids, occasions, channels
and code keys only. Errors are ``ValidationError`` keyed by field with a Swedish message.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from stegvis.access import scope
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.followup import contact, delivery, rules
from stegvis.followup.models import (
    Channel,
    Closure,
    ContactChannel,
    Invitation,
    InvitationToken,
)
from stegvis.followup.sms import sms_sender
from stegvis.indicators.facts import refresh_participation_facts
from stegvis.participants import followup
from stegvis.participants.models import (
    Consent,
    Measurement,
    MeasurementActivity,
    MeasurementSource,
    Participation,
)
from stegvis.reference.models import Code, CodeList

log = logging.getLogger(__name__)
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
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if occasion not in followup.FOLLOW_UP_MONTHS:
        errors["occasion"] = ["Uppföljning: välj 3, 6 eller 12 månader."]
    elif participation.end_date is None:
        errors["occasion"] = ["Uppföljning: deltagandet är inte avslutat."]
    elif not _consent_covers_follow_up(participation):
        errors["occasion"] = ["Uppföljning: samtycket omfattar inte uppföljning efter avslut."]
    elif _resolved(participation, occasion):
        errors["occasion"] = ["Uppföljning: uppföljningen är redan registrerad eller avslutad."]
    if date is None:
        errors["date"] = ["Datum: ange ett datum."]
    elif date > today:
        errors["date"] = ["Datum: datumet kan inte ligga i framtiden."]
    elif participation.end_date is not None and date < participation.end_date:
        errors["date"] = ["Datum: datumet kan inte vara före deltagandets slutdatum."]
    code = None
    if not reason:
        errors["reason"] = ["Skäl: välj ett skäl."]
    else:
        code = Code.objects.filter(list=CodeList.FOLLOWUP_CLOSURE, key=reason).first()
        day = date or today
        if code is None or code.valid_from > day or (
            code.valid_to is not None and code.valid_to < day
        ):
            errors["reason"] = ["Skäl: välj ett giltigt skäl."]
    if errors:
        raise ValidationError(errors)
    assert code is not None and date is not None
    return _close(actor=actor, participation=participation, occasion=occasion, code=code,
                  date=date)


def _close(
    *, actor: Any, participation: Participation, occasion: str, code: Code, date: dt.date,
    username: str = "",
) -> Closure:
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
            {"occasion": "Uppföljning: uppföljningen är redan registrerad eller avslutad."}
        ) from None
    return closure


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
    errors: dict[str, list[str]] = {}
    if not _consent_covers_follow_up(participation):
        errors["agreed"] = ["Kontaktväg: samtycket omfattar inte uppföljning efter avslut."]
    elif participation.end_date is not None and all(
        _resolved(participation, o) for o in followup.FOLLOW_UP_MONTHS
    ):
        errors["agreed"] = ["Kontaktväg: alla uppföljningar är redan gjorda eller avslutade."]
    if not agreed:
        errors.setdefault("agreed", []).append(
            "Deltagarens godkännande: kryssa i att deltagaren har godkänt kontaktvägen."
        )
    clean_email = rules.normalise_email(email) if email.strip() else ""
    clean_mobile = rules.normalise_mobile(mobile) if mobile.strip() else ""
    if clean_email is None:
        errors["email"] = ["E-post: ange en e-postadress som namn@exempel.se."]
    if clean_mobile is None:
        errors["mobile"] = [
            "Mobilnummer: ange ett svenskt mobilnummer, till exempel 070-123 45 67."
        ]
    if not email.strip() and not mobile.strip():
        errors["email"] = ["E-post: ange e-postadress, mobilnummer eller båda."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        channel, created = ContactChannel.objects.update_or_create(
            participation=participation,
            defaults={
                "email_ciphertext": contact.encrypt(clean_email) if clean_email else "",
                "mobile_ciphertext": contact.encrypt(clean_mobile) if clean_mobile else "",
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
        deleted, _ = ContactChannel.objects.filter(participation=participation).delete()
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
            o for o in followup.FOLLOW_UP_MONTHS
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
        delivery.send_email(to=contact.decrypt(channel.email_ciphertext), link=link,
                            valid_until=until, reminder=reminder)
        return Channel.EMAIL
    sender = sms_sender()
    if channel.mobile_ciphertext and sender is not None:
        sender.send(to=contact.decrypt(channel.mobile_ciphertext),
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
    for channel in channels:
        p = channel.participation
        if erase_contact_if_done(participation=p, today=today):
            result.erased += 1
            continue
        if p.end_date is None:
            continue
        for occasion in followup.FOLLOW_UP_MONTHS:
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
        invitation, _ = Invitation.objects.get_or_create(
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
        or occasion not in followup.FOLLOW_UP_MONTHS
        or not _consent_covers_follow_up(participation)
    ):
        raise ValidationError({"occasion": "Länk: uppföljningen kan inte skickas."})
    first, last = followup.window(participation.end_date, occasion)
    if not first <= today <= last:
        raise ValidationError({"occasion": "Länk: uppföljningens tidsfönster är inte öppet."})
    if _resolved(participation, occasion):
        raise ValidationError({"occasion": "Länk: uppföljningen är redan gjord eller avslutad."})
    with transaction.atomic():
        invitation, _ = Invitation.objects.get_or_create(
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
    errors: dict[str, list[str]] = {}
    activity = codes.get((CodeList.ACTIVITY, answers.activity))
    if activity is None:
        errors["activity"] = ["Välj det som stämmer bäst."]
    if not 0 <= answers.extent_pct <= 100:
        errors["extent"] = ["Välj hur mycket."]
    sources = [
        codes.get((CodeList.INCOME_SOURCE, k)) for k in dict.fromkeys(answers.income_sources)
    ]
    if not sources or None in sources:
        errors["income_sources"] = ["Kryssa i minst ett alternativ."]
    for name in ("rating_work", "rating_health", "rating_future"):
        value = getattr(answers, name)
        if value is not None and not 1 <= value <= 10:
            errors[name] = ["Välj ett värde från 1 till 10."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered_at is not None and locked.measurement is not None:
            return locked.measurement
        p = locked.participation
        if locked.used or _resolved(p, locked.occasion):
            raise ValidationError({"token": "Länken kan inte användas."})
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
        return _close(
            actor=None, username=SELF_REPORT, participation=locked.participation,
            occasion=locked.occasion, code=code, date=today,
        )


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
                    c.email_ciphertext = contact.rotate(c.email_ciphertext)
                if c.mobile_ciphertext:
                    c.mobile_ciphertext = contact.rotate(c.mobile_ciphertext)
            ContactChannel.objects.bulk_update(batch, ["email_ciphertext", "mobile_ciphertext"])
            last_pk = batch[-1].pk
            done += len(batch)

"""Reads of follow-ups after the end.

``open_follow_ups`` is the one rule of what is "to do": the coach's worklist, the counts on the
start page and the förbund's report counts all call it (so they can never disagree). A
follow-up is to do from its window's first day (``participants.followup.window``) until it is
measured or closed; after the window it stays, as *lapsed*, until it is closed with a reason.
Which follow-ups a participation has depends on its förbund's horizons (``schedule_for``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.followup import rules
from stegvis.followup.models import Closure, ContactChannel, HorizonSetting, Invitation
from stegvis.lib import crypto
from stegvis.participants import followup
from stegvis.participants import selectors as participant_selectors
from stegvis.participants.models import Consent, Measurement, Occasion, Participation

# Lapsed follow-ups stay on the worklist until closed, but not for ever
# (``followup.worklist_until``): at most 48 months after the end.
HORIZON_DAYS = 1462

# Link states shown per follow-up on the worklist.
LINK_NONE = ""
LINK_PENDING = "pending"  # invitation made, not yet delivered
LINK_SENT = "sent"
LINK_REMINDED = "reminded"
LINK_OPENED = "opened"
LINK_ANSWERED = "answered"
LINK_DECLINED = "declined"


def long_horizon_ids(association_ids: Iterable[int] | None = None) -> set[int]:
    """The förbund (among ``association_ids``, or all) that follow up at 24 and 36 months."""
    qs = HorizonSetting.objects.filter(long_horizons=True)
    if association_ids is not None:
        qs = qs.filter(association_id__in=list(association_ids))
    return set(qs.values_list("association_id", flat=True))


def schedule_for(association_id: int) -> tuple[str, ...]:
    """The follow-up occasions of a förbund (3, 6, 12 and perhaps 24, 36 months)."""
    return followup.schedule(bool(long_horizon_ids([association_id])))


def horizons_get(*, user: Any, association_id: int) -> Any:
    """A förbund (for a user who may manage it) and whether it follows up at 24/36 months."""
    association = scope.get_association(user, association_id, Capability.MANAGE_ASSOCIATION)
    return association, bool(long_horizon_ids([association.pk]))


def closure_exists(participation: Participation, occasion: str) -> bool:
    return Closure.objects.filter(participation=participation, occasion=occasion).exists()


def invitation_state(invitation: Invitation | None) -> str:
    if invitation is None:
        return LINK_NONE
    if invitation.answered_at:
        return LINK_ANSWERED
    if invitation.declined_at:
        return LINK_DECLINED
    if invitation.opened_at:
        return LINK_OPENED
    if invitation.reminded_at:
        return LINK_REMINDED
    if invitation.sent_at:
        return LINK_SENT
    return LINK_PENDING


@dataclass(frozen=True)
class OpenFollowUp:
    participation: Participation
    occasion: str
    due: dt.date
    window: tuple[dt.date, dt.date]
    status: str  # followup.DUE, OVERDUE or LAPSED
    link: str  # one of the LINK_* states
    has_contact: bool

    @property
    def registrable(self) -> bool:
        """The register link is shown only while the window is open."""
        return self.status != followup.LAPSED


def eligible_participations(qs: QuerySet[Participation], today: dt.date) -> QuerySet[Participation]:
    """Ended participations whose consent covers follow-up (not felregistrering, not withdrawn)."""
    return qs.filter(
        end_date__isnull=False,
        end_date__gte=today - dt.timedelta(days=HORIZON_DAYS),
        is_error=False,
        consent_withdrawn_at__isnull=True,
        consent__scope_follow_up=True,
        consent__withdrawn_at__isnull=True,
    )


def open_follow_ups(qs: QuerySet[Participation], today: dt.date) -> list[OpenFollowUp]:
    """The follow-ups to do among ``qs`` (already scoped by the caller)."""
    qs = eligible_participations(qs, today).select_related("intervention").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.filter(occasion__startswith="followup_").only(
                "id", "participation_id", "occasion"
            ),
        ),
        Prefetch("follow_up_closures", queryset=Closure.objects.only(
            "id", "participation_id", "occasion")),
        "follow_up_invitations",
        Prefetch("follow_up_contact", queryset=ContactChannel.objects.only(
            "id", "participation_id")),
    )
    items: list[OpenFollowUp] = []
    long = long_horizon_ids()
    for p in qs:
        assert p.end_date is not None
        association_id = p.intervention.association_id
        done = {m.occasion for m in p.measurements.all()}
        done |= {c.occasion for c in p.follow_up_closures.all()}
        invitations = {i.occasion: i for i in p.follow_up_invitations.all()}
        has_contact = hasattr(p, "follow_up_contact")
        for occasion in followup.schedule(association_id in long):
            if occasion in done:
                continue
            due = followup.due_date(p.end_date, occasion)
            status = followup.status(due, today)
            if status == followup.UPCOMING or (
                status == followup.LAPSED
                and today > followup.worklist_until(p.end_date, occasion)
            ):
                continue
            items.append(
                OpenFollowUp(
                    participation=p,
                    occasion=occasion,
                    due=due,
                    window=followup.window(p.end_date, occasion),
                    status=status,
                    link=invitation_state(invitations.get(occasion)),
                    has_contact=has_contact,
                )
            )
    return items


def count(items: Iterable[OpenFollowUp]) -> dict[str, int]:
    """Due, overdue and lapsed follow-ups, and their total."""
    out = {followup.DUE: 0, followup.OVERDUE: 0, followup.LAPSED: 0}
    for item in items:
        out[item.status] += 1
    return {
        "due": out[followup.DUE],
        "overdue": out[followup.OVERDUE],
        "lapsed": out[followup.LAPSED],
        "total": sum(out.values()),
    }


def association_follow_up_counts(
    *, user: Any, association_id: int, today: dt.date
) -> dict[str, dict[str, int]]:
    """Per horizon of the förbund's schedule (``"3"``, ``"6"``, ``"12"``, perhaps ``"24"``,
    ``"36"``) and in total: the counts of :func:`count` for a förbund, for users with the
    reports capability there (403/404 via the scope).

    The same rule as the deltagaransvarig's worklist. For the indicator layer's start page: no
    personal data leaves this function, but the counts are small: suppress them as any count.
    """
    association = scope.get_association(user, association_id, Capability.REPORTS)
    items = open_follow_ups(
        Participation.objects.filter(intervention__association=association), today
    )
    out = {"total": count(items)}
    for occasion in followup.schedule(bool(long_horizon_ids([association.pk]))):
        k = followup.FOLLOW_UP_MONTHS[occasion]
        out[str(k)] = count(i for i in items if i.occasion == occasion)
    return out


def closures_by_follow_up(participation_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """``(participation id, k months) -> "declined" | "not_reached"`` for the reports' coverage.

    Coverage of a k-month follow-up: *due* (the indicator's denominator), *measured* (by
    ``Measurement.source``: coach or self-reported), *closed* (this mapping, by group) and
    *open* (the rest).
    """
    ids = list(participation_ids)
    out: dict[tuple[int, int], str] = {}
    for start in range(0, len(ids), 500):
        for pid, occasion, key in Closure.objects.filter(
            participation_id__in=ids[start : start + 500]
        ).values_list("participation_id", "occasion", "reason__key"):
            out[(pid, followup.FOLLOW_UP_MONTHS[occasion])] = rules.closure_group(key)
    return out


# --- one participation (read through participants.selectors.participation_get first) --------


@dataclass(frozen=True)
class FollowUpRow:
    occasion: str
    label: str
    due: dt.date
    window: tuple[dt.date, dt.date]
    state: str  # "measured", "closed", or a followup status
    measurement: Measurement | None
    closure: Closure | None
    link: str

    @property
    def registrable(self) -> bool:
        return self.state in (followup.DUE, followup.OVERDUE)

    @property
    def closable(self) -> bool:
        return self.state in (followup.DUE, followup.OVERDUE, followup.LAPSED, followup.UPCOMING)


def follow_up_rows(*, participation: Participation, today: dt.date) -> list[FollowUpRow]:
    """The follow-ups (3, 6, 12 and, if the förbund chose them, 24 and 36 months) of an ended
    participation with follow-up consent."""
    if (
        participation.end_date is None
        or participation.is_error
        or participation.consent_withdrawn_at is not None
        or not Consent.objects.filter(
            participation=participation, scope_follow_up=True, withdrawn_at__isnull=True
        ).exists()
    ):
        return []
    measurements = {
        m.occasion: m
        for m in Measurement.objects.filter(
            participation=participation, occasion__startswith="followup_"
        )
    }
    closures = {
        c.occasion: c
        for c in Closure.objects.filter(participation=participation).select_related("reason")
    }
    invitations = {i.occasion: i for i in Invitation.objects.filter(participation=participation)}
    labels = dict(Occasion.choices)
    rows = []
    for occasion in schedule_for(participation.intervention.association_id):
        due = followup.due_date(participation.end_date, occasion)
        m = measurements.get(occasion)
        c = closures.get(occasion)
        state = "measured" if m else "closed" if c else followup.status(due, today)
        rows.append(
            FollowUpRow(
                occasion=occasion,
                label=str(labels[occasion]),
                due=due,
                window=followup.window(participation.end_date, occasion),
                state=state,
                measurement=m,
                closure=c,
                link=invitation_state(invitations.get(occasion)),
            )
        )
    return rows


def registrable_occasions(*, participation: Participation, today: dt.date) -> list[str]:
    """Follow-ups whose register form may be offered today (window open, neither done nor
    closed): the same rule the recording service applies to the date."""
    return [r.occasion for r in follow_up_rows(participation=participation, today=today)
            if r.registrable]


@dataclass(frozen=True)
class MaskedContact:
    email: str
    mobile: str
    agreed_on: dt.date


def contact_masked(*, user: Any, participation: Participation) -> MaskedContact | None:
    """The participant's contact channel, masked; reading it is audited (READ)."""
    channel = ContactChannel.objects.filter(participation=participation).first()
    if channel is None:
        return None
    with transaction.atomic():
        record_event(
            actor=user,
            action=Action.READ,
            obj=channel,
            association=participation.intervention.association_id,
            details={"participation": participation.pk, "purpose": "contact_masked"},
        )
    return MaskedContact(
        email=rules.mask_email(crypto.decrypt(channel.email_ciphertext))
        if channel.email_ciphertext else "",
        mobile=rules.mask_mobile(crypto.decrypt(channel.mobile_ciphertext))
        if channel.mobile_ciphertext else "",
        agreed_on=channel.agreed_on,
    )


def recent_link_outcomes(*, user: Any, today: dt.date, days: int = 30) -> list[Invitation]:
    """Self-report links answered or declined in the last ``days`` days, in the user's insatser."""
    since = today - dt.timedelta(days=days)
    return list(
        Invitation.objects.filter(
            participation__intervention_id__in=scope.assigned_intervention_ids(user),
        )
        .filter(Q(answered_at__date__gte=since) | Q(declined_at__date__gte=since))
        .select_related("participation__intervention", "participation__person")
        .order_by("-answered_at", "-declined_at")[:200]
    )


# --- follow-up worklist --------------------------------------------------------------------


@dataclass(frozen=True)
class WorklistItem:
    participation: Participation
    occasion: str
    occasion_label: str
    due: dt.date
    status: str  # followup.DUE, OVERDUE or LAPSED
    masked: str
    window: tuple[dt.date, dt.date]
    link: str  # state of the self-report link (LINK_*)
    has_contact: bool

    @property
    def registrable(self) -> bool:
        """The register link is shown only while the follow-up's window is open."""
        return self.status != followup.LAPSED


STATUS_ORDER = {followup.LAPSED: 0, followup.OVERDUE: 1, followup.DUE: 2}
SORTS = {
    "due": lambda i: (i.due, i.participation.pk),
    "-due": lambda i: (-i.due.toordinal(), i.participation.pk),
    "insats": lambda i: (i.participation.intervention.name, i.due),
    "status": lambda i: (STATUS_ORDER[i.status], i.due),
    "occasion": lambda i: (followup.FOLLOW_UP_MONTHS[i.occasion], i.due),
}


def _worklist_items(
    user: Any, today: dt.date, *, with_masks: bool, association_id: int | None = None
) -> list[WorklistItem]:
    """The follow-ups to do (:func:`open_follow_ups`, the one rule), as worklist rows."""
    qs = participant_selectors.assigned_participations(user)
    if association_id is not None:
        qs = qs.filter(intervention__association_id=association_id)
    labels = dict(Occasion.choices)
    return [
        WorklistItem(
            participation=i.participation,
            occasion=i.occasion,
            occasion_label=str(labels[i.occasion]),
            due=i.due,
            status=i.status,
            masked=participant_selectors.masked_number(i.participation) if with_masks else "",
            window=i.window,
            link=i.link,
            has_contact=i.has_contact,
        )
        for i in open_follow_ups(qs, today)
    ]


def followup_worklist(
    *, user: Any, sort: str = "due", today: dt.date | None = None,
    association_id: int | None = None,
) -> list[WorklistItem]:
    """Follow-ups to do in the user's assigned insatser (one förbund if given); audited READ,
    one event per förbund the list spans."""
    participant_selectors.require_officer(user=user, view="followup_worklist")
    items = _worklist_items(
        user, today or timezone.localdate(), with_masks=True, association_id=association_id
    )
    items.sort(key=SORTS.get(sort, SORTS["due"]))
    participant_selectors.audit_read(
        user,
        list({i.participation.pk: i.participation for i in items}.values()),
        [association_id] if association_id is not None
        else participant_selectors.officer_association_ids(user),
        {"view": "followup_worklist"},
    )
    return items


def followup_counts(
    *, user: Any, today: dt.date | None = None, association_id: int | None = None
) -> dict[str, int]:
    """Numbers of follow-ups to do, as on the worklist (no personal data: not audited)."""
    if not scope.assigned_intervention_ids(user):
        return {"due": 0, "overdue": 0, "lapsed": 0, "total": 0}
    return count(
        _worklist_items(
            user, today or timezone.localdate(), with_masks=False, association_id=association_id
        )
    )

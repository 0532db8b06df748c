"""Reads of participants. Every function takes the acting user and asks the scoping module.

Only a deltagaransvarig sees personal data, and only of the insatser assigned to them
(``scope.assigned_intervention_ids``). Anyone else gets an empty list, 404 for a single object,
or 403 (audited) for pages that exist only for deltagaransvariga. Every read of a participant
and every search writes an audit event without identity in its details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from stegvis.access import scope
from stegvis.access.models import InterventionAssignment
from stegvis.access.roles import CAPABILITIES, Capability
from stegvis.access.rules import has_perm, perm_name
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions.models import FollowUpMethod, Intervention
from stegvis.lib import crypto
from stegvis.lib import personnummer as pnr
from stegvis.participants.models import (
    Measurement,
    MeasurementActivity,
    Participation,
    SupplementaryQuestion,
)
from stegvis.reference.models import Municipality

MAX_AUDIT_IDS = 200


def _audit(
    user: Any,
    action: Action,
    *,
    obj: Any = None,
    association: Any = None,
    object_type: str = "",
    details: dict[str, Any],
) -> None:
    with transaction.atomic():
        record_event(
            actor=user,
            action=action,
            obj=obj,
            object_type=object_type,
            association=association,
            details=details,
        )


def _audit_per_association(
    user: Any,
    action: Action,
    participations: list[Participation],
    association_ids: list[int],
    details: dict[str, Any],
    *,
    object_type: str = "participants.participation",
) -> None:
    """One event per förbund a read spans (also when it found nothing there), each naming
    only that förbund's participations and their number."""
    by_association: dict[int, list[int]] = {aid: [] for aid in association_ids}
    for p in participations:
        by_association.setdefault(p.intervention.association_id, []).append(p.pk)
    with transaction.atomic():
        for association_id, ids in sorted(by_association.items()):
            record_event(
                actor=user,
                action=action,
                object_type=object_type,
                association=association_id,
                details={**details, "hits": len(ids),
                         "participations": sorted(ids)[:MAX_AUDIT_IDS]},
            )


def _own_association_ids(user: Any) -> list[int | None]:
    """The förbund a refusal of ``user`` is recorded for when no object names one: those the
    user holds a role in (``[None]`` for national-only users, seen by national granskare)."""
    visible = scope.visible_association_ids(user)
    ids: list[int | None] = sorted(visible or ())
    if visible is None or scope.grants(user).national:
        ids.append(None)
    return ids or [None]


def _refuse(
    user: Any, *, association_ids: list[int | None], view: str, object_type: str = "",
    object_id: Any = "",
) -> None:
    """Record a refused attempt at personal data: one event per förbund concerned."""
    with transaction.atomic():
        for association_id in association_ids:
            record_event(
                actor=user,
                action=Action.PERMISSION_DENIED,
                object_type=object_type,
                object_id=object_id,
                association=association_id,
                details={"capability": Capability.PERSONAL_DATA.value, "view": view},
            )


def _refuse_object(user: Any, model: Any, pk: int, association_path: str, view: str) -> None:
    """Record a refused attempt at one object, for its förbund. For an id that names no
    object the user's own förbund are used and the id is not kept (it may be anything typed
    into the address, even a personnummer)."""
    association_id = (
        model.objects.filter(pk=pk).values_list(association_path, flat=True).first()
    )
    _refuse(
        user,
        association_ids=[association_id] if association_id else _own_association_ids(user),
        view=view,
        object_type=model._meta.label_lower,
        object_id=pk if association_id else "",
    )


def officer_association_ids(user: Any) -> list[int]:
    """Förbund where ``user`` is deltagaransvarig: a read across their insatser spans these."""
    return sorted(
        aid for aid, roles in scope.grants(user).by_association.items()
        if Capability.PERSONAL_DATA in {c for r in roles for c in CAPABILITIES[r]}
    )


def require_officer(*, user: Any, view: str = "officer_page") -> None:
    """Pages for deltagaransvariga only: anyone else is refused (403, audited per förbund)."""
    if not has_perm(user, perm_name(Capability.PERSONAL_DATA)):
        _refuse(user, association_ids=_own_association_ids(user), view=view)
        raise PermissionDenied


def assigned_interventions(*, user: Any) -> QuerySet[Intervention]:
    """Insatser assigned to the user (empty for everyone but their deltagaransvariga)."""
    return (
        Intervention.objects.filter(pk__in=scope.assigned_intervention_ids(user))
        .select_related("association")
        .order_by("association__name", "name")
    )


def intervention_for_participants(*, user: Any, pk: int) -> Intervention:
    """An insats the user is assigned to (404 otherwise)."""
    intervention = assigned_interventions(user=user).filter(pk=pk).first()
    if intervention is None:
        _refuse_object(user, Intervention, pk, "association_id", "intervention_participants")
        raise Http404
    return intervention


def _scoped(user: Any) -> QuerySet[Participation]:
    return Participation.objects.filter(
        intervention_id__in=scope.assigned_intervention_ids(user)
    ).select_related("intervention__association", "person", "referred_by", "exit_reason",
                     "residence")


def assigned_participations(user: Any) -> QuerySet[Participation]:
    """The participations in the insatser assigned to ``user`` (the scope), for the follow-up
    worklist."""
    return _scoped(user)


def audit_read(
    user: Any, participations: list[Participation], association_ids: list[int],
    details: dict[str, Any],
) -> None:
    """One READ audit event per förbund a list of participations spans."""
    _audit_per_association(user, Action.READ, participations, association_ids, details)


def masked_number(participation: Participation) -> str:
    """``19850101-****`` for a participation with identity, else an empty string."""
    if participation.person is None:
        return ""
    return pnr.mask(crypto.decrypt(participation.person.identity_ciphertext))


def participation_get(*, user: Any, pk: int, purpose: str = "view") -> Participation:
    """One participation in the user's assigned insatser (404 otherwise); audited READ."""
    participation = _scoped(user).filter(pk=pk).first()
    if participation is None:
        _refuse_object(user, Participation, pk, "intervention__association_id", purpose)
        raise Http404
    _audit(
        user,
        Action.READ,
        obj=participation,
        association=participation.intervention.association_id,
        details={"purpose": purpose, "intervention": participation.intervention_id},
    )
    return participation


def participation_measurements(*, participation: Participation) -> list[Measurement]:
    """The measurements of a participation already read through ``participation_get``."""
    return list(
        Measurement.objects.filter(participation=participation)
        .select_related("education_level", "public_support_duration", "step")
        .prefetch_related(
            "income_sources",
            Prefetch(
                "activities", queryset=MeasurementActivity.objects.select_related("activity")
            ),
            "supplementary_answers__question",
        )
        .order_by("date", "id")
    )


@dataclass(frozen=True)
class WithdrawalPreview:
    """What withdrawing consent for one participation erases (shown before confirming)."""

    measurements: int
    person_erased: bool
    other_participations: int


def withdrawal_preview(*, participation: Participation) -> WithdrawalPreview:
    """Counts for the confirmation page of a participation read via ``participation_get``."""
    others = 0
    if participation.person_id is not None:
        others = (
            Participation.objects.filter(person_id=participation.person_id)
            .exclude(pk=participation.pk)
            .count()
        )
    return WithdrawalPreview(
        measurements=Measurement.objects.filter(participation=participation).count(),
        person_erased=participation.person_id is not None and others == 0,
        other_participations=others,
    )


def measurement_get(*, user: Any, pk: int) -> Measurement:
    """One measurement of a participation in the user's assigned insatser (404 otherwise)."""
    m = (
        Measurement.objects.filter(
            pk=pk, participation__intervention_id__in=scope.assigned_intervention_ids(user)
        )
        .select_related("participation__intervention__association", "participation__person")
        .prefetch_related("income_sources", "activities__activity", "supplementary_answers")
        .first()
    )
    if m is None:
        _refuse_object(
            user, Measurement, pk, "participation__intervention__association_id", "measurement"
        )
        raise Http404
    _audit(
        user,
        Action.READ,
        obj=m,
        association=m.participation.intervention.association_id,
        details={"participation": m.participation_id, "occasion": m.occasion},
    )
    return m


def person_participations(*, user: Any, participation: Participation) -> list[Participation]:
    """The same person's participations in insatser assigned to the user (the page's list)."""
    if participation.person_id is None:
        return [participation]
    return list(_scoped(user).filter(person_id=participation.person_id).order_by("-start_date"))


STATUSES = ("open", "ended", "error")
LIST_SORTS = {
    "-start": ("-start_date", "-id"),
    "start": ("start_date", "id"),
    "end": ("end_date", "id"),
    "reference": ("own_reference", "-start_date", "id"),
}
PAGE_SIZE = 25


def participation_page(
    *,
    user: Any,
    intervention: Intervention,
    status: str = "",
    coach_id: int | None = None,
    start_year: int | None = None,
    sort: str = "-start",
    page: Any = 1,
) -> Page:
    """One page of an insats's participations, filtered and sorted; audited READ.

    A fixed number of queries whatever the page size (persons, coaches in one join).
    """
    qs = _scoped(user).filter(intervention=intervention, consent_withdrawn_at__isnull=True)
    qs = qs.select_related("coach", "created_by")
    if status == "open":
        qs = qs.filter(end_date__isnull=True, is_error=False)
    elif status == "ended":
        qs = qs.filter(end_date__isnull=False, is_error=False)
    elif status == "error":
        qs = qs.filter(is_error=True)
    if coach_id is not None:
        qs = qs.filter(Q(coach_id=coach_id) | Q(coach__isnull=True, created_by_id=coach_id))
    if start_year is not None:
        qs = qs.filter(start_date__year=start_year)
    result = Paginator(qs.order_by(*LIST_SORTS.get(sort, LIST_SORTS["-start"])), PAGE_SIZE)
    current = result.get_page(page)
    rows = list(current.object_list)
    current.object_list = rows
    _audit_per_association(
        user,
        Action.READ,
        rows,
        [intervention.association_id],
        {"view": "list", "intervention": intervention.pk},
    )
    return current


def intervention_coaches(*, intervention: Intervention) -> list[Any]:
    """The deltagaransvariga assigned to an insats already read via the scoping module."""
    return [
        a.user
        for a in InterventionAssignment.objects.filter(intervention=intervention)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    ]


def intervention_start_years(*, intervention: Intervention) -> list[int]:
    return sorted(
        {
            d.year
            for d in Participation.objects.filter(
                intervention=intervention, start_date__isnull=False
            ).dates("start_date", "year")
        },
        reverse=True,
    )


def move_targets(*, user: Any, participation: Participation) -> list[Intervention]:
    """Other insatser of the same förbund, assigned to the user, following up identified."""
    return list(
        assigned_interventions(user=user)
        .filter(follow_up_method=FollowUpMethod.IDENTIFIED)
        .filter(association_id=participation.intervention.association_id)
        .exclude(pk=participation.intervention_id)
    )


def participant_search(*, user: Any, personnummer: str) -> list[Participation]:
    """Participations of the person with ``personnummer`` in the user's assigned insatser.

    Always audited as SEARCH (with the number of hits, never the number searched for).
    Raises ``pnr.PersonnummerError`` for an invalid number.
    """
    require_officer(user=user, view="search")
    searched_in = officer_association_ids(user)
    try:
        parsed = pnr.parse(personnummer, today=timezone.localdate())
    except pnr.PersonnummerError:
        _audit_per_association(
            user, Action.SEARCH, [], searched_in, {"valid": False},
            object_type="participants.person",
        )
        raise
    hits = list(
        _scoped(user)
        .filter(person__blind_index=crypto.blind_index(parsed.normalised))
        .order_by("-start_date")
    )
    _audit_per_association(
        user, Action.SEARCH, hits, searched_in, {"valid": True},
        object_type="participants.person",
    )
    return hits


def open_participation_of(
    *, user: Any, intervention: Intervention, personnummer: str
) -> Participation | None:
    """The person's open participation in the insats (for the duplicate's link); audited."""
    try:
        hits = participant_search(user=user, personnummer=personnummer)
    except pnr.PersonnummerError:
        return None
    return next(
        (p for p in hits if p.intervention_id == intervention.pk and p.is_open
         and not p.is_error),
        None,
    )


def municipalities_for(
    *, intervention: Intervention
) -> tuple[list[Municipality], list[Municipality]]:
    """(the förbund's own kommuner, all other kommuner), each sorted by name."""
    own_codes = set(
        intervention.association.area.values_list("municipality_id", flat=True)
    )
    own: list[Municipality] = []
    other: list[Municipality] = []
    for m in Municipality.objects.order_by("short_name"):
        (own if m.code in own_codes else other).append(m)
    return own, other


def supplementary_questions(
    *, association_id: int, occasion: str, on: dt.date
) -> list[SupplementaryQuestion]:
    from django.db.models import Q

    return list(
        SupplementaryQuestion.objects.filter(
            association_id=association_id, occasion=occasion, valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("id")
    )


def supplementary_question_admin(
    *, user: Any, association_id: int
) -> tuple[Any, list[SupplementaryQuestion]]:
    """A förbund's kompletterande frågor for its administrators (404/403 via the scope)."""
    association = scope.get_association(user, association_id, Capability.MANAGE_ASSOCIATION)
    questions = list(
        SupplementaryQuestion.objects.filter(association=association).order_by(
            "occasion", "valid_from", "id"
        )
    )
    return association, questions

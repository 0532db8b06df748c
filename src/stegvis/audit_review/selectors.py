"""Reads of the audit log. Every function takes the acting user and asks the scoping module.

Who sees what (Capability.AUDIT, held by *granskare*):
- a national granskare (grant without förbund) sees every event;
- a förbund's granskare sees the events recorded for that förbund, and the sign-ins
  (LOGIN, LOGIN_FAILED, which belong to no förbund) of users who hold a role in it. Other events
  without a förbund (for example refusals outside any förbund, and other auditors' reviews of
  the whole log) are for national granskare only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from stegvis.access import scope
from stegvis.access.models import RoleGrant
from stegvis.access.roles import Capability
from stegvis.associations.models import Association
from stegvis.audit.models import Action, AuditEvent

SIGN_IN_ACTIONS = (Action.LOGIN, Action.LOGIN_FAILED)


def audit_associations(*, user: Any, association_id: int | None = None) -> QuerySet[Association]:
    """The förbund whose log ``user`` may review, or just ``association_id`` among them.

    Raises PermissionDenied (audited) for users without the audit capability anywhere, Http404
    for a förbund they have no role in and PermissionDenied for one where they are not granskare.
    """
    if association_id is not None:
        association = scope.get_association(user, association_id, Capability.AUDIT)
        return Association.objects.filter(pk=association.pk)
    if not scope.can_anywhere(user, Capability.AUDIT):
        scope.deny(user, Capability.AUDIT, None)
    return scope.associations(user, Capability.AUDIT).order_by("name")


def _belonging_to(ids: set[int]) -> Q:
    """Events of these förbund, and sign-ins of users who hold a role in one of them."""
    members = RoleGrant.objects.filter(association_id__in=ids)
    usernames = get_user_model().objects.filter(role_grants__in=members).values("username")
    sign_in_of_member = Q(association__isnull=True, action__in=SIGN_IN_ACTIONS) & (
        Q(actor_id__in=members.values("user_id"))
        | Q(actor__isnull=True, actor_username__in=usernames)
    )
    return Q(association_id__in=ids) | sign_in_of_member


def _user_matches(text: str) -> Q:
    """Events of users whose username or name contains ``text`` (any case, every word)."""
    condition = Q()
    for word in text.split():
        people = get_user_model().objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
        ).values("pk")
        condition &= Q(actor_username__icontains=word) | Q(actor_id__in=people)
    return condition


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def events_for(
    *,
    user: Any,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    actor_username: str = "",
    association_id: int | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    """Events ``user`` may review, filtered; newest first. Dates are local and inclusive."""
    audit_associations(user=user, association_id=association_id)  # 403 / 404
    ids = scope.association_ids(user, Capability.AUDIT)
    qs = AuditEvent.objects.select_related("association")
    if ids is not None:
        qs = qs.filter(_belonging_to(ids))
    if association_id is not None:
        qs = qs.filter(_belonging_to({association_id}))
    if date_from is not None:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        qs = qs.filter(at__lt=_start_of(date_to + dt.timedelta(days=1)))
    if actor_username:
        qs = qs.filter(_user_matches(actor_username))
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-at", "-id")

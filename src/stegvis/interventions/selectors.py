"""Reads of insatser. Every function takes the acting user and asks the scoping module.

A förbund the user has no role in does not exist for them (404); a role there without
``MANAGE_INTERVENTIONS`` is refused (403, audited).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from stegvis.access import scope
from stegvis.access.models import InterventionAssignment
from stegvis.access.roles import Capability, Role
from stegvis.access.rules import check, perm_name
from stegvis.associations.models import Association, Organisation
from stegvis.interventions.models import (
    BudgetLine,
    Intervention,
    InterventionYear,
    VolumeCount,
)
from stegvis.reference.models import Code, CodeList

MANAGE_INTERVENTIONS = perm_name(Capability.MANAGE_INTERVENTIONS)
MANAGE = Capability.MANAGE_INTERVENTIONS


def manageable_associations(*, user: Any) -> QuerySet[Association]:
    """Förbund where the user may manage insatser."""
    return scope.associations(user, MANAGE).order_by("name")


def association_for_management(*, user: Any, association_id: int) -> Association:
    return scope.get_association(user, association_id, MANAGE)


def _base() -> QuerySet[Intervention]:
    return Intervention.objects.select_related(
        "association", "organiser", "controller", "precise_orientation"
    )


def intervention_list(*, user: Any, association_id: int | None = None) -> QuerySet[Intervention]:
    """Insatser the user may manage; in one förbund if ``association_id`` (404/403 there)."""
    if association_id is not None:
        association = association_for_management(user=user, association_id=association_id)
        qs = _base().filter(association=association)
    else:
        qs = scope.scope_queryset(_base(), user, MANAGE)
    return qs.annotate(assigned_count=Count("assignments", distinct=True)).order_by(
        "association__name", "name", "id"
    )


def intervention_get(*, user: Any, pk: int) -> Intervention:
    """One insats for management: 404 outside the user's förbund, 403 without the capability."""
    intervention = _base().filter(pk=pk).first()
    if intervention is None:
        raise Http404
    visible = scope.visible_association_ids(user)
    if visible is not None and intervention.association_id not in visible:
        raise Http404
    check(user, MANAGE_INTERVENTIONS, intervention)  # the rules, per insats
    return intervention


def intervention_detail(*, user: Any, pk: int) -> Intervention:
    """One insats with its years, budget lines, assignments and counts."""
    intervention = intervention_get(user=user, pk=pk)
    return (
        _base()
        .prefetch_related(
            "target_groups",
            "parties",
            Prefetch(
                "years",
                queryset=InterventionYear.objects.prefetch_related(
                    Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("kind"))
                ),
            ),
            Prefetch(
                "assignments",
                queryset=InterventionAssignment.objects.select_related("user").order_by(
                    "user__username"
                ),
            ),
            "volume_counts",
            "anonymous_counts",
        )
        .get(pk=intervention.pk)
    )


def assigned_interventions(*, user: Any) -> QuerySet[Intervention]:
    """Insatser a deltagaransvarig is assigned to (and holds the role in the förbund)."""
    return (
        _base()
        .filter(pk__in=scope.assigned_intervention_ids(user))
        .order_by("association__name", "name", "id")
    )


def member_organisations(*, user: Any, association: Association) -> QuerySet[Organisation]:
    """Member organisations of a förbund the user may manage (for organiser/parties/controller)."""
    scope.require(user, MANAGE, association)
    return (
        Organisation.objects.filter(memberships__association=association)
        .distinct()
        .order_by("kind", "name")
    )


def _codes(code_list: str, on: dt.date | None, include: Iterable[int]) -> QuerySet[Code]:
    qs = Code.objects.filter(list=code_list)
    if on is None:
        return qs
    valid = Code.objects.filter(list=code_list).valid_on(on).values("pk")
    return qs.filter(Q(pk__in=valid) | Q(pk__in=list(include)))


def target_group_codes(*, on: dt.date | None = None, include: Iterable[int] = ()) -> QuerySet[Code]:
    """Målgrupper: valid on ``on`` (all if None), plus the ids in ``include`` (already chosen)."""
    return _codes(CodeList.TARGET_GROUP, on, include)


def precise_orientation_codes(
    *, on: dt.date | None = None, include: Iterable[int] = ()
) -> QuerySet[Code]:
    return _codes(CodeList.PRECISE_ORIENTATION, on, include)


def assignable_officers(*, user: Any, intervention: Intervention) -> QuerySet[Any]:
    """Active users holding deltagaransvarig in the insats's förbund, not yet assigned."""
    check(user, MANAGE_INTERVENTIONS, intervention)  # the rules, per insats
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_grants__role=Role.PARTICIPANT_OFFICER.value,
            role_grants__association_id=intervention.association_id,
        )
        .exclude(intervention_assignments__intervention=intervention)
        .distinct()
        .order_by("username")
    )


def assigned_user(*, user: Any, intervention: Intervention, user_id: int) -> Any:
    """An assigned user of an insats the acting user manages (404 if not assigned)."""
    check(user, MANAGE_INTERVENTIONS, intervention)  # the rules, per insats
    assignment = (
        InterventionAssignment.objects.select_related("user")
        .filter(intervention=intervention, user_id=user_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment.user


def intervention_year(
    *, user: Any, intervention: Intervention, year: int
) -> InterventionYear | None:
    check(user, MANAGE_INTERVENTIONS, intervention)  # the rules, per insats
    return (
        InterventionYear.objects.prefetch_related("budget_lines")
        .filter(intervention=intervention, year=year)
        .first()
    )


def volume_counts(*, user: Any, intervention: Intervention) -> QuerySet[VolumeCount]:
    """The registered periods of a volume insats (the insats already read for management)."""
    scope.require(user, MANAGE, intervention.association)
    return VolumeCount.objects.filter(intervention=intervention).order_by("period_start")


def volume_count_get(*, user: Any, intervention_pk: int, pk: int) -> VolumeCount:
    """One volume count for management: 404 unless it belongs to a visible insats."""
    intervention = intervention_get(user=user, pk=intervention_pk)
    count = VolumeCount.objects.filter(intervention=intervention, pk=pk).first()
    if count is None:
        raise Http404
    count.intervention = intervention
    return count

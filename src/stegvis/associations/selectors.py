"""Reads of förbund data. Every function takes the acting user and asks the scoping module."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.associations.models import Association, Membership


def association_list(*, user: Any) -> QuerySet[Association]:
    return scope.associations(user, Capability.VIEW_ASSOCIATION).order_by("name")


def association_get(*, user: Any, pk: int) -> Association:
    """One förbund with area, memberships and funding key (404/403 via the scoping module)."""
    association = scope.get_association(user, pk, Capability.VIEW_ASSOCIATION)
    return (
        Association.objects.filter(pk=association.pk)
        .prefetch_related(
            "area__municipality",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "organisation__municipality", "organisation__county"
                ),
            ),
            "funding_shares__organisation",
        )
        .get()
    )

"""Reads of the access app. Every function takes the acting user and asks the scoping module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from stegvis.access import scope
from stegvis.access.models import ApiToken, RoleGrant
from stegvis.access.roles import Capability, Role
from stegvis.access.scope import Association


@dataclass(frozen=True)
class MemberRoles:
    user: Any
    grants: list[RoleGrant]


def managed_associations(*, user: Any) -> QuerySet[Association]:
    """Förbund whose users ``user`` may manage."""
    return scope.associations(user, Capability.MANAGE_ASSOCIATION).order_by("name")


def managed_association(*, user: Any, association_id: int) -> Association:
    """A förbund whose users ``user`` may manage (404 for outsiders, 403 without the role)."""
    return scope.get_association(user, association_id, Capability.MANAGE_ASSOCIATION)


def association_members(*, user: Any, association_id: int) -> tuple[Association, list[MemberRoles]]:
    """The förbund and every user holding a role in it, with those roles."""
    association = managed_association(user=user, association_id=association_id)
    grants = (
        RoleGrant.objects.filter(association=association)
        .select_related("user")
        .order_by("user__username", "role")
    )
    members: dict[int, MemberRoles] = {}
    for grant in grants:
        members.setdefault(grant.user_id, MemberRoles(user=grant.user, grants=[]))
        members[grant.user_id].grants.append(grant)
    return association, list(members.values())


def association_member(
    *, user: Any, association_id: int, user_id: int
) -> tuple[Association, MemberRoles]:
    """One user with a role in the förbund (404 if they hold none there)."""
    association = managed_association(user=user, association_id=association_id)
    grants = list(
        RoleGrant.objects.filter(association=association, user_id=user_id)
        .select_related("user")
        .order_by("role")
    )
    if not grants:
        raise Http404
    return association, MemberRoles(user=grants[0].user, grants=grants)


def user_by_username(*, user: Any, association_id: int, username: str) -> Any | None:
    """An existing account, looked up by user name, for granting it a role here.

    A systemadministratör finds every account (attaching an account to a second förbund is
    their act); a förbundsadministratör only accounts that already hold a role in this förbund,
    so another förbund's user names are neither confirmed nor attachable.
    """
    association = managed_association(user=user, association_id=association_id)
    accounts = get_user_model().objects.filter(username__iexact=username.strip())
    if not scope.has_role(user, Role.SYSTEM_ADMIN):
        accounts = accounts.filter(role_grants__association=association).distinct()
    return accounts.first()


def api_tokens(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own API keys, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created", "-id")


def api_token_get(*, user: Any, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token


def national_grants(*, user: Any) -> QuerySet[RoleGrant]:
    """Every national role grant (systemadministratör only)."""
    if not scope.has_role(user, Role.SYSTEM_ADMIN):
        raise PermissionDenied
    return (
        RoleGrant.objects.filter(association__isnull=True)
        .select_related("user")
        .order_by("user__username", "role")
    )


def any_user_by_username(*, user: Any, username: str) -> Any | None:
    """Any account by user name, for a national grant (systemadministratör only)."""
    if not scope.has_role(user, Role.SYSTEM_ADMIN):
        raise PermissionDenied
    return get_user_model().objects.filter(username__iexact=username.strip()).first()


def any_user(*, user: Any, user_id: int) -> Any:
    """Any account by id, for removing a national role (systemadministratör only)."""
    if not scope.has_role(user, Role.SYSTEM_ADMIN):
        raise PermissionDenied
    account = get_user_model().objects.filter(pk=user_id).first()
    if account is None:
        raise Http404
    return account

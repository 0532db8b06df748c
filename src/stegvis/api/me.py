"""Who am I: the signed-in user (session or API key) and their roles."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from stegvis.access import scope

router = Router(tags=["konto"])


class RoleOut(Schema):
    role: str
    association_id: int | None


class MeOut(Schema):
    username: str
    roles: list[RoleOut]


@router.get("/", response=MeOut)
def me(request: HttpRequest, association_id: int | None = None) -> MeOut:
    """The acting user and their roles (optionally only those in ``association_id``)."""
    grants = scope.grants(request.user)
    roles = [RoleOut(role=r.value, association_id=None) for r in sorted(grants.national)]
    for aid, rs in sorted(grants.by_association.items()):
        if association_id is None or aid == association_id:
            roles.extend(RoleOut(role=r.value, association_id=aid) for r in sorted(rs))
    return MeOut(username=request.user.get_username(), roles=roles)

"""The one place that decides which tenant data a user may see.

Every selector of tenant data asks this module. A förbund the user has no role in does not
exist for them (404); a förbund they can see, but not for this purpose, is refused (403) and the
refusal is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from stegvis.access.models import InterventionAssignment, RoleGrant
from stegvis.access.roles import CAPABILITIES, Capability, Role, roles_with
from stegvis.audit.services import record_permission_denied

_CACHE_ATTR = "_stegvis_grants"

# A förbund, as this module sees it: the model lives in ``stegvis.associations``, a layer above
# (docs/adr/0014-layers.md). Access names it only by the string its RoleGrant foreign key holds.
Association = Any


def _associations() -> QuerySet[Any]:
    """Every förbund: the model the role grants' foreign key points to."""
    return RoleGrant._meta.get_field("association").related_model._default_manager.all()


@dataclass(frozen=True)
class Grants:
    """A user's roles: national ones, and per förbund id."""

    national: frozenset[Role] = frozenset()
    by_association: dict[int, frozenset[Role]] = field(default_factory=dict)

    def roles_in(self, association_id: int) -> frozenset[Role]:
        return self.national | self.by_association.get(association_id, frozenset())

    def all_roles(self) -> frozenset[Role]:
        roles = set(self.national)
        for rs in self.by_association.values():
            roles |= rs
        return frozenset(roles)


def grants(user: Any) -> Grants:
    """The user's role grants, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Grants()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    national: set[Role] = set()
    by_association: dict[int, set[Role]] = {}
    for role, association_id in RoleGrant.objects.filter(user=user).values_list(
        "role", "association_id"
    ):
        if association_id is None:
            national.add(Role(role))
        else:
            by_association.setdefault(association_id, set()).add(Role(role))
    result = Grants(
        national=frozenset(national),
        by_association={k: frozenset(v) for k, v in by_association.items()},
    )
    setattr(user, _CACHE_ATTR, result)
    return result


def forget(user: Any) -> None:
    """Drop the cached grants after a change of roles."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user: Any, role: Role, association: Association | int | None = None) -> bool:
    g = grants(user)
    if association is None:
        return role in g.national
    association_id = association if isinstance(association, int) else association.pk
    return role in g.roles_in(association_id)


def can(user: Any, capability: Capability, association: Association | int) -> bool:
    association_id = association if isinstance(association, int) else association.pk
    return any(capability in CAPABILITIES[r] for r in grants(user).roles_in(association_id))


def can_anywhere(user: Any, capability: Capability) -> bool:
    return any(capability in CAPABILITIES[r] for r in grants(user).all_roles())


def association_ids(user: Any, capability: Capability) -> set[int] | None:
    """Ids of förbund where the user has ``capability``; ``None`` means every förbund."""
    g = grants(user)
    allowed = roles_with(capability)
    if g.national & allowed:
        return None
    return {aid for aid, roles in g.by_association.items() if roles & allowed}


def visible_association_ids(user: Any) -> set[int] | None:
    """Förbund the user has any role in (``None``: all, for national roles)."""
    g = grants(user)
    if g.national:
        return None
    return set(g.by_association)


def associations(user: Any, capability: Capability) -> QuerySet[Association]:
    ids = association_ids(user, capability)
    qs = _associations()
    return qs if ids is None else qs.filter(pk__in=ids)


def scope_queryset(
    qs: QuerySet[Any], user: Any, capability: Capability, field: str = "association"
) -> QuerySet[Any]:
    """Restrict any tenant queryset to the förbund where ``user`` has ``capability``."""
    ids = association_ids(user, capability)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def get_association(user: Any, pk: int, capability: Capability) -> Association:
    """The förbund ``pk`` if the user may use it for ``capability``.

    Raises Http404 if the user has no role there at all (its existence is not disclosed) and
    PermissionDenied, audited, if they have a role but not this capability.
    """
    association = visible_association(user, pk)
    require(user, capability, association)
    return association


def visible_association(user: Any, pk: int) -> Association:
    """The förbund ``pk`` if the user has any role there (Http404 otherwise: not disclosed)."""
    visible = visible_association_ids(user)
    if visible is not None and pk not in visible:
        raise Http404
    association = association_by_id(pk)
    if association is None:
        raise Http404
    return association


def association_by_id(pk: int | None) -> Association | None:
    return _associations().filter(pk=pk).first() if pk is not None else None


def require(user: Any, capability: Capability, association: Association) -> None:
    if not can(user, capability, association):
        deny(user, capability, association)


def deny(user: Any, capability: Capability, association: Association | None) -> None:
    """Record a PERMISSION_DENIED event and raise PermissionDenied."""
    record_permission_denied(actor=user, capability=capability.value, association=association)
    raise PermissionDenied


def assigned_intervention_ids(user: Any) -> set[int]:
    """Ids of insatser ``user`` is assigned to AND holds deltagaransvarig in the insats's förbund.

    The gate for every read of personal data: an assignment alone is not enough (the role may
    have been withdrawn), nor is the role alone (only assigned insatser are visible).
    """
    g = grants(user)
    officer_in = {
        aid for aid, roles in g.by_association.items() if Role.PARTICIPANT_OFFICER in roles
    }
    if not officer_in:
        return set()
    return set(
        InterventionAssignment.objects.filter(
            user=user, intervention__association_id__in=officer_in
        ).values_list("intervention_id", flat=True)
    )

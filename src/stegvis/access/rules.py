"""Permissions as django-rules predicates, fed by the scoping module.

Every permission is ``stegvis.<capability>`` (see :class:`~stegvis.access.roles.Capability`)
plus ``stegvis.administer`` (the systemadministratör's national pages). A permission is checked
against an object where it matters:

- no object: the user has the capability in some förbund (or nationally);
- a förbund (or its id): the user has the capability there;
- an insats: the capability in the insats's förbund; for ``stegvis.personal_data`` the user
  must also be assigned to the insats (:func:`scope.assigned_intervention_ids`);
- a participation: as its insats.

Views check them with :func:`permission_required` (below) or :func:`has_perm`, templates with
``{% has_perm %}`` (``{% load permissions %}``). Both ask the rules directly, not
``user.has_perm``: Django's ``User.has_perm`` answers yes to every permission for a superuser,
and ``stegvis createsuperuser`` must give no access to anything (ADR 0001 (a)). The selectors
keep scoping every read; a permission check at the door only refuses earlier, never lets more
through.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.http import HttpRequest, HttpResponse

from stegvis.access import scope
from stegvis.access.roles import Capability, Role

ADMINISTER = "stegvis.administer"  # the systemadministratör's national pages
NATIONAL_REPORTS = "stegvis.national_reports"  # reports across every förbund


def perm_name(capability: Capability) -> str:
    return f"stegvis.{capability.value}"


def _association_id(obj: Any) -> int | None:
    """The förbund an object belongs to: a förbund, its id, an insats or a participation."""
    if isinstance(obj, int):
        return obj
    label = obj._meta.label_lower
    if label == "associations.association":
        return obj.pk
    if label == "interventions.intervention":
        return obj.association_id
    if label == "participants.participation":
        return obj.intervention.association_id
    raise TypeError(f"no förbund for {label}")


def _intervention_id(obj: Any) -> int | None:
    if isinstance(obj, int):
        return None
    label = obj._meta.label_lower
    if label == "interventions.intervention":
        return obj.pk
    if label == "participants.participation":
        return obj.intervention_id
    return None


def _capability_predicate(capability: Capability) -> rules.Predicate:
    @rules.predicate(name=f"has_{capability.value}")
    def predicate(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return scope.can_anywhere(user, capability)
        if capability is Capability.PERSONAL_DATA:
            intervention_id = _intervention_id(obj)
            if intervention_id is not None:
                # Assigned to the insats and deltagaransvarig in its förbund, both.
                return intervention_id in scope.assigned_intervention_ids(user)
        association_id = _association_id(obj)
        return association_id is not None and scope.can(user, capability, association_id)

    return predicate


@rules.predicate
def is_system_admin(user: Any, obj: Any = None) -> bool:
    return scope.has_role(user, Role.SYSTEM_ADMIN)


PREDICATES: dict[str, rules.Predicate] = {
    perm_name(capability): _capability_predicate(capability) for capability in Capability
}
@rules.predicate
def reads_every_association(user: Any, obj: Any = None) -> bool:
    return scope.association_ids(user, Capability.REPORTS) is None


PREDICATES[ADMINISTER] = is_system_admin
PREDICATES[NATIONAL_REPORTS] = reads_every_association

for _name, _predicate in PREDICATES.items():
    rules.add_perm(_name, _predicate)


def has_perm(user: Any, perm: str, obj: Any = None) -> bool:
    """Whether ``user`` has ``perm`` (on ``obj``), by the rules alone (see the module text)."""
    return rules.has_perm(perm, user, obj)


def _capability_of(perm: str) -> Capability:
    """The capability a refusal of ``perm`` is audited under."""
    if perm == ADMINISTER:
        return Capability.MANAGE_ASSOCIATION
    if perm == NATIONAL_REPORTS:
        return Capability.REPORTS
    return Capability(perm.removeprefix("stegvis."))


def check(user: Any, perm: str, obj: Any = None) -> None:
    """Refuse (audited 403) unless ``user`` has ``perm`` on ``obj``."""
    if not has_perm(user, perm, obj):
        association = None
        if obj is not None and not isinstance(obj, int):
            association_id = _association_id(obj)
            association = scope.association_by_id(association_id)
        scope.deny(user, _capability_of(perm), association)


def association_from(kwarg: str = "association_id") -> Callable[..., Any]:
    """The förbund named by the URL (404 if the user has no role there at all)."""

    def getter(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return scope.visible_association(request.user, kwargs[kwarg])

    return getter


def association_from_query(param: str = "association") -> Callable[..., Any]:
    """The förbund named by the query string, if one is (404 if the user has no role there)."""

    def getter(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        raw = request.GET.get(param, "")
        return scope.visible_association(request.user, int(raw)) if raw.isdigit() else None

    return getter


def permission_required(
    perm: str, fn: Callable[..., Any] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """rules' ``permission_required``, refusing the way every refusal here does.

    ``fn`` gets the view's arguments and returns the object to check against (a förbund that
    the user cannot see at all is a 404 there, before any permission is asked). A refusal is a
    403 with a PERMISSION_DENIED audit event, as in :func:`scope.deny`.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = fn(request, *args, **kwargs) if fn is not None else None
            check(request.user, perm, obj)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

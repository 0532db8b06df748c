"""What the start page shows: the user's roles, per förbund, with the links each role needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stegvis.access import scope
from stegvis.access.models import ROLE_LABELS
from stegvis.access.roles import CAPABILITIES, Capability, Role
from stegvis.associations.models import Association
from stegvis.web.navigation import MAIN_AREAS, Area, main_areas


@dataclass(frozen=True)
class StartEntry:
    association: Association | None  # None: national role
    roles: list[str]
    role_keys: frozenset[Role]

    @property
    def can_view_association(self) -> bool:
        """The förbund page (or, nationally, the list of förbund) opens for these roles.

        A rapportläsare has no such capability: showing the link would lead to a 403 page.
        """
        return any(Capability.VIEW_ASSOCIATION in CAPABILITIES[r] for r in self.role_keys)


def start_page(*, user: Any) -> list[StartEntry]:
    g = scope.grants(user)
    entries: list[StartEntry] = []
    if g.national:
        entries.append(
            StartEntry(
                association=None,
                roles=[str(ROLE_LABELS[r]) for r in sorted(g.national)],
                role_keys=g.national,
            )
        )
    associations = Association.objects.filter(pk__in=g.by_association).order_by("name")
    for association in associations:
        roles = g.by_association[association.pk]
        entries.append(
            StartEntry(
                association=association,
                roles=[str(ROLE_LABELS[r]) for r in sorted(roles)],
                role_keys=roles,
            )
        )
    return entries


def asks_system_admin(*, user: Any) -> bool:
    """Whom a refused user should ask for access: a förbundsadministratör asks the system's."""
    return Role.ASSOCIATION_ADMIN in scope.grants(user).all_roles()

# --- the header: förbund switcher and main menu ------------------------------------------------

CURRENT_ASSOCIATION_KEY = "stegvis_association"


@dataclass(frozen=True)
class MenuItem:
    area: Area
    label: str
    url: str


@dataclass(frozen=True)
class Navigation:
    associations: list[Association]  # the förbund the user has a role in (switcher if > 1)
    current: Association | None  # the förbund the menu is for
    items: list[MenuItem]


AREA_LABELS = {
    Area.PARTICIPANTS: _("Deltagare"),
    Area.INTERVENTIONS: _("Insatser"),
    Area.FINANCE: _("Ekonomi"),
    Area.REPORTS: _("Rapporter"),
    Area.AUDIT: _("Granskning"),
    Area.ADMINISTRATION: _("Administration"),
    Area.ACCOUNT: _("Mitt konto"),
}


def _area_url(area: Area, current: Association | None, local: frozenset[Role]) -> str:
    """Where a menu item leads: the current förbund's page of the area when the user has a role
    for it there, else the area's overview."""
    if area is Area.PARTICIPANTS:
        return reverse("participants:index")
    if area is Area.INTERVENTIONS:
        if current is not None and local & MAIN_AREAS[Area.INTERVENTIONS]:
            return reverse("interventions:list", args=[current.pk])
        return reverse("interventions:index")
    if area is Area.FINANCE:
        if current is not None and Role.ASSOCIATION_ADMIN in local:
            return reverse("finance:years", args=[current.pk])
        return reverse("finance:index")
    if area is Area.REPORTS:
        if current is not None and local & MAIN_AREAS[Area.REPORTS]:
            return reverse("indicators:association", args=[current.pk])
        return reverse("indicators:index")
    if area is Area.AUDIT:
        if current is not None and Role.AUDITOR in local:
            return reverse("audit:list") + f"?association={current.pk}"
        return reverse("audit:list")
    if area is Area.ADMINISTRATION:
        return reverse("web:administration")
    return reverse("access:account")


def navigation(*, user: Any, requested: int | None) -> Navigation:
    """The header's förbund and main menu for ``user``: only the areas their roles open.

    The menu is for one förbund at a time: the one the user chose (``requested``, if they have
    a role in it), else the first by name. National roles apply in every förbund.
    """
    g = scope.grants(user)
    associations = list(Association.objects.filter(pk__in=g.by_association).order_by("name"))
    current = next((a for a in associations if a.pk == requested), None)
    if current is None and associations:
        current = associations[0]
    local = g.by_association.get(current.pk, frozenset()) if current is not None else frozenset()
    items = [
        MenuItem(area, str(AREA_LABELS[area]), _area_url(area, current, local))
        for area in main_areas(local | g.national)
    ]
    return Navigation(associations=associations, current=current, items=items)


# --- the administration page -----------------------------------------------------------------


@dataclass(frozen=True)
class AdminLinks:
    national: bool  # a systemadministratör: förbund, organisations, code lists
    associations: list[Association]  # förbund the user administers (users, förbund page)


def administration(*, user: Any) -> AdminLinks:
    g = scope.grants(user)
    administered = [pk for pk, roles in g.by_association.items()
                    if Role.ASSOCIATION_ADMIN in roles]
    return AdminLinks(
        national=Role.SYSTEM_ADMIN in g.national,
        associations=list(Association.objects.filter(pk__in=administered).order_by("name")),
    )

"""What the start page shows: the user's roles, per förbund, with the links each role needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stegvis.access import scope
from stegvis.access.models import ROLE_LABELS
from stegvis.access.roles import CAPABILITIES, Capability, Role
from stegvis.associations.models import Association


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

"""Which main areas of Stegvis a user's roles open, and which area a page belongs to.

Pure rules: no Django imports. The header, the breadcrumbs and the administration page use them.
"""

from __future__ import annotations

from enum import StrEnum

from stegvis.access.roles import Role


class Area(StrEnum):
    PARTICIPANTS = "deltagare"
    INTERVENTIONS = "insatser"
    FINANCE = "ekonomi"
    REPORTS = "rapporter"
    AUDIT = "granskning"
    ADMINISTRATION = "administration"
    ACCOUNT = "konto"


# The main menu, in this order; an area is shown when the user has one of its roles.
MAIN_AREAS: dict[Area, frozenset[Role]] = {
    Area.PARTICIPANTS: frozenset({Role.PARTICIPANT_OFFICER}),
    Area.INTERVENTIONS: frozenset({Role.INTERVENTION_MANAGER, Role.ASSOCIATION_ADMIN}),
    Area.FINANCE: frozenset({Role.ASSOCIATION_ADMIN, Role.SYSTEM_ADMIN}),
    Area.REPORTS: frozenset(
        {Role.REPORT_READER, Role.ASSOCIATION_ADMIN, Role.INTERVENTION_MANAGER}
    ),
    Area.AUDIT: frozenset({Role.AUDITOR}),
    Area.ADMINISTRATION: frozenset({Role.SYSTEM_ADMIN, Role.ASSOCIATION_ADMIN}),
}

# The URL namespace of a page (its Django app) -> the area it belongs to.
_NAMESPACE_AREAS: dict[str, Area] = {
    "participants": Area.PARTICIPANTS,
    "interventions": Area.INTERVENTIONS,
    "finance": Area.FINANCE,
    "indicators": Area.REPORTS,
    "audit": Area.AUDIT,
    "associations": Area.ADMINISTRATION,
    "reference": Area.ADMINISTRATION,
    "registry": Area.ADMINISTRATION,
}
# Pages of the account app that are administration of other users, not the user's own account.
_ADMIN_ACCOUNT_PAGES = frozenset(
    {"association_users", "user_create", "association_user", "role_revoke", "access_reset"}
)


def main_areas(roles: frozenset[Role]) -> list[Area]:
    """The areas of the main menu that ``roles`` open, in menu order."""
    return [area for area, needs in MAIN_AREAS.items() if roles & needs]


def area_of(namespace: str, url_name: str) -> Area | None:
    """The area a page belongs to, from its URL namespace and name (None: the start page etc.)."""
    if namespace == "access":
        return Area.ADMINISTRATION if url_name in _ADMIN_ACCOUNT_PAGES else Area.ACCOUNT
    if namespace == "web":
        return Area.ADMINISTRATION if url_name == "administration" else None
    if namespace == "" and url_name.startswith(("mfa_", "account_")):
        return Area.ACCOUNT
    return _NAMESPACE_AREAS.get(namespace)

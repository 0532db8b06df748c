"""The six roles of the old register, and what each may do. Pure: no Django imports."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SYSTEM_ADMIN = "systemadministrator"
    ASSOCIATION_ADMIN = "forbundsadministrator"
    INTERVENTION_MANAGER = "insatsansvarig"
    PARTICIPANT_OFFICER = "deltagaransvarig"
    REPORT_READER = "rapportlasare"
    AUDITOR = "granskare"


class Capability(StrEnum):
    """What a user wants to do with a förbund's data."""

    VIEW_ASSOCIATION = "view_association"  # förbund page: area, members, funding key
    MANAGE_ASSOCIATION = "manage_association"  # edit förbund, users, budget
    MANAGE_INTERVENTIONS = "manage_interventions"  # insatser, budgets, counts (no personal data)
    PERSONAL_DATA = "personal_data"  # participants of assigned insatser
    REPORTS = "reports"  # aggregated, suppressed reports
    AUDIT = "audit"  # read the audit log


CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.SYSTEM_ADMIN: frozenset({Capability.VIEW_ASSOCIATION, Capability.MANAGE_ASSOCIATION}),
    Role.ASSOCIATION_ADMIN: frozenset(
        {
            Capability.VIEW_ASSOCIATION,
            Capability.MANAGE_ASSOCIATION,
            Capability.MANAGE_INTERVENTIONS,
            Capability.REPORTS,
        }
    ),
    Role.INTERVENTION_MANAGER: frozenset(
        {Capability.VIEW_ASSOCIATION, Capability.MANAGE_INTERVENTIONS, Capability.REPORTS}
    ),
    Role.PARTICIPANT_OFFICER: frozenset({Capability.VIEW_ASSOCIATION, Capability.PERSONAL_DATA}),
    Role.REPORT_READER: frozenset({Capability.REPORTS}),
    Role.AUDITOR: frozenset({Capability.VIEW_ASSOCIATION, Capability.AUDIT}),
}

# Roles that may be granted without a förbund: they then apply to every förbund.
NATIONAL_ROLES: frozenset[Role] = frozenset({Role.SYSTEM_ADMIN, Role.REPORT_READER, Role.AUDITOR})


def roles_with(capability: Capability) -> frozenset[Role]:
    return frozenset(role for role, caps in CAPABILITIES.items() if capability in caps)


# Roles that see personal data: nobody may grant one to themselves or assign themselves to an
# insats, and resetting the access of a holder never hands the administrator a working login.
PERSONAL_DATA_ROLES: frozenset[Role] = roles_with(Capability.PERSONAL_DATA)

# Roles that must sign in with two factors whatever the configuration says: those that see
# personal data, and those that manage accounts and roles (and so could reach it otherwise).
TWO_FACTOR_ROLES: frozenset[Role] = PERSONAL_DATA_ROLES | frozenset(
    {Role.SYSTEM_ADMIN, Role.ASSOCIATION_ADMIN}
)

"""Test data factories (factory_boy), one module per app. Tests may build state directly; the
application writes via services.

- ``access``: users, role grants, two-factor authenticators
- ``associations``: förbund with their member organisations
- ``interventions``: insatser, their years and budget lines
"""

from tests.factories.access import TOTP_SECRET, RoleGrantFactory, UserFactory, grant, totp
from tests.factories.associations import (
    AssociationFactory,
    OrganisationFactory,
    association,
    luhn_org_number,
    organisation,
)
from tests.factories.interventions import (
    BudgetLineFactory,
    InterventionFactory,
    InterventionYearFactory,
)

__all__ = [
    "TOTP_SECRET",
    "AssociationFactory",
    "BudgetLineFactory",
    "InterventionFactory",
    "InterventionYearFactory",
    "OrganisationFactory",
    "RoleGrantFactory",
    "UserFactory",
    "association",
    "grant",
    "luhn_org_number",
    "organisation",
    "totp",
]

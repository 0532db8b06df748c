"""Writes for förbund and member organisations: each is one transaction with its audit event.

Who may:
- a systemadministratör creates förbund and member organisations;
- anyone with MANAGE_ASSOCIATION in a förbund (its förbundsadministratör, or a
  systemadministratör) edits that förbund: details, memberships, area and funding key.

After every change the membership rules (rules_pure) are checked from today onwards (from the
founding date when a förbund is created); a change that would break them is refused with a
ValidationError holding every Swedish message, and nothing is saved.

The area is not versioned: adding a kommun organisation as member adds its kommun to the area,
and ending a kommun's membership removes that kommun from the area at once (its membership period
stays in the member list). The funding key is recomputed after each change of members or area:
population and equal keys automatically, a custom key only from new shares given by the caller
(otherwise the stored shares must still fit, or the change is refused)."""

from stegvis.associations.services._common import (
    AreaInput,
    MembershipInput,
    SharesInput,
    key_date,
)
from stegvis.associations.services.association import (
    association_create,
    association_update,
)
from stegvis.associations.services.funding import (
    area_set,
    district_population_set,
    funding_key_set,
)
from stegvis.associations.services.membership import (
    membership_add,
    membership_end,
)
from stegvis.associations.services.organisations import (
    organisation_create,
)

__all__ = [
    "AreaInput",
    "MembershipInput",
    "SharesInput",
    "area_set",
    "association_create",
    "association_update",
    "district_population_set",
    "funding_key_set",
    "key_date",
    "membership_add",
    "membership_end",
    "organisation_create",
]

"""Writes for förbund and member organisations (see :mod:`.association` for the rules)."""

from stegvis.associations.services.association import (
    AreaInput,
    F,
    MembershipInput,
    SharesInput,
    area_set,
    association_create,
    association_update,
    district_population_set,
    funding_key_set,
    key_date,
    membership_add,
    membership_end,
    organisation_create,
)

__all__ = [
    "AreaInput",
    "F",
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

"""Writes of insatser."""

from stegvis.interventions.services.counts import (
    EDITABLE_FIELDS,
    anonymous_count_add,
    anonymous_count_set,
    assignment_add,
    assignment_remove,
    intervention_create,
    intervention_update,
    intervention_year_set,
    volume_count_record,
)

__all__ = [
    "EDITABLE_FIELDS",
    "anonymous_count_add",
    "anonymous_count_set",
    "assignment_add",
    "assignment_remove",
    "intervention_create",
    "intervention_update",
    "intervention_year_set",
    "volume_count_record",
]

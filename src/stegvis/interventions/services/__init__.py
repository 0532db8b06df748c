"""Writes of insatser, budgets, assignments and counts. Each one transactional and audited.

Permission is checked before the transaction opens, so that a refusal's own audit event
(PERMISSION_DENIED) is kept even though nothing else is written."""

from stegvis.interventions.services.assignments import (
    assignment_add,
    assignment_remove,
)
from stegvis.interventions.services.counts import (
    anonymous_count_add,
    anonymous_count_set,
    volume_count_record,
)
from stegvis.interventions.services.intervention import (
    EDITABLE_FIELDS,
    intervention_create,
    intervention_update,
)
from stegvis.interventions.services.years import (
    intervention_year_set,
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

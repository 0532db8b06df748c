"""Writes of participations, consents and measurements. Each one transactional and audited.

The rules of registration live in :mod:`stegvis.participants.domain` (pure, and shared with the
bulk import and the API, so they cannot drift apart). This module gathers from the database
what those rules need, turns their problems into a ``ValidationError`` keyed by field with the
Swedish message that names the field, and writes; nothing is saved when one is raised. No
message, log line or audit detail holds a personnummer: audit details carry ids and code keys."""

from stegvis.participants.domain import MSG_SECOND_OPEN, ConsentInput, MeasurementInput
from stegvis.participants.services._common import (
    MSG_ERASED,
    intervention_facts,
    measurement_snapshot,
    question_catalogue,
    require_assigned,
)
from stegvis.participants.services.consent import (
    consent_withdraw,
    participation_mark_error,
    person_reveal,
)
from stegvis.participants.services.identity_keys import (
    rotate_identity_keys,
)
from stegvis.participants.services.measurements import (
    MSG_OCCASION_TAKEN,
    consent_covers_follow_up,
    measurement_correct,
    measurement_record,
)
from stegvis.participants.services.questions import (
    supplementary_question_create,
)
from stegvis.participants.services.registration import (
    participation_end,
    participation_start,
)

__all__ = [
    "MSG_ERASED",
    "MSG_OCCASION_TAKEN",
    "MSG_SECOND_OPEN",
    "ConsentInput",
    "MeasurementInput",
    "consent_covers_follow_up",
    "consent_withdraw",
    "intervention_facts",
    "measurement_correct",
    "measurement_record",
    "measurement_snapshot",
    "participation_end",
    "participation_mark_error",
    "participation_start",
    "person_reveal",
    "question_catalogue",
    "require_assigned",
    "rotate_identity_keys",
    "supplementary_question_create",
]

"""Pages for the deltagaransvarig. Thin: forms parse, services write, selectors read."""

from stegvis.participants.views._common import (
    GET_POST,
)
from stegvis.participants.views.casework import (
    coach_move,
    intervention_move,
    reference,
)
from stegvis.participants.views.lists import (
    index,
    intervention_participants,
    search,
)
from stegvis.participants.views.participation import (
    correct,
    end,
    mark_error,
    measure,
    participation_detail,
    reveal,
    withdraw,
)
from stegvis.participants.views.registration import (
    anonymous_add,
    questions,
    register,
)

__all__ = [
    "GET_POST",
    "anonymous_add",
    "coach_move",
    "correct",
    "end",
    "index",
    "intervention_move",
    "intervention_participants",
    "mark_error",
    "measure",
    "participation_detail",
    "questions",
    "reference",
    "register",
    "reveal",
    "search",
    "withdraw",
]

"""The förbund's supplementary questions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib import dates, freetext
from stegvis.lib.errors import raise_problems
from stegvis.participants import domain
from stegvis.participants.models import (
    AnswerType,
    SupplementaryQuestion,
)
from stegvis.participants.services._common import _today

# --- supplementary questions ---------------------------------------------------------------


def supplementary_question_create(
    *,
    actor: Any,
    association: Any,
    text: str,
    answer_type: str,
    occasion: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None = None,
) -> SupplementaryQuestion:
    """A förbund-defined question asked at start or end (förbund administrators)."""
    scope.require(actor, Capability.MANAGE_ASSOCIATION, association)
    problems: list[domain.Problem] = []
    today = _today()
    text = (text or "").strip()
    if not text:
        problems.append(domain.Problem("text", _("Fråga: skriv frågan.")))
    elif problem := freetext.text_problem(_("Fråga"), text, today=today):
        problems.append(domain.Problem("text", problem))
    if answer_type not in AnswerType.values:
        problems.append(domain.Problem("answer_type", _("Svarstyp: välj en svarstyp.")))
    if occasion not in ("start", "end"):
        problems.append(domain.Problem("occasion", _("Tillfälle: välj start eller avslut.")))
    if valid_from is None:
        problems.append(domain.Problem("valid_from", _("Giltig från: ange ett datum.")))
    elif problem := dates.date_problem(_("Giltig från"), valid_from, today=today):
        problems.append(domain.Problem("valid_from", problem))
    elif valid_to is not None and valid_to < valid_from:
        problems.append(
            domain.Problem("valid_to", _("Giltig till: kan inte vara före giltig från."))
        )
    elif problem := dates.date_problem(_("Giltig till"), valid_to, today=today):
        problems.append(domain.Problem("valid_to", problem))
    raise_problems(problems)
    assert valid_from is not None  # refused above
    with transaction.atomic():
        q = SupplementaryQuestion.objects.create(
            association=association,
            text=text[:300],
            answer_type=answer_type,
            occasion=occasion,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=q,
            association=association,
            details={"occasion": occasion, "answer_type": answer_type},
        )
    return q

"""Sign-in events: successful and failed sign-ins, recorded without a personnummer.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stegvis.access.services._common import HIDDEN_USERNAME
from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event

# --- sign-in events --------------------------------------------------------------------------


def safe_username(username: str | None) -> str:
    """An attempted user name fit for the audit log (never something like a personnummer)."""
    value = (username or "").strip()[:150]
    return HIDDEN_USERNAME if contains_identifier(value) else value


@transaction.atomic
def login_record(*, user: Any, method: str) -> None:
    """Audit a completed sign-in (after every stage, two-factor included)."""
    record_event(actor=user, action=Action.LOGIN, details={"method": method})


@transaction.atomic
def login_failed_record(*, username: str | None, stage: str) -> None:
    """Audit a failed sign-in. The attempted name goes into actor_username only; never the
    password or code."""
    record_event(
        actor=None,
        action=Action.LOGIN_FAILED,
        username=safe_username(username),
        details={"stage": stage},
    )

"""Writes of the indicators app: the fact-table rebuild and export audit events."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.participants import facts

EXPORT_FORMATS = ("csv", "xlsx", "pdf", "json")


def facts_rebuild(*, actor: Any = None) -> int:
    """Rebuild the whole fact table in one transaction; audited."""
    with transaction.atomic():
        written = facts.rebuild_all_facts()
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="indicators.participationfact",
            username="system",
            details={"rebuild_facts": written},
        )
    return written


def export_record(
    *,
    actor: Any,
    report: str,
    fmt: str,
    period: str,
    association_ids: list[int] | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record one EXPORT event (no personal data: report name, format, period and scope)."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError({"format": _("Format: välj CSV, XLSX eller PDF.")})
    single = association_ids[0] if association_ids and len(association_ids) == 1 else None
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.EXPORT,
            object_type="indicators.report",
            object_id=report,
            association=single,
            details={
                "report": report,
                "format": fmt,
                "period": period,
                "associations": association_ids if association_ids is not None else "alla",
                **(details or {}),
            },
        )

"""Writing audit events. Callers run inside their own transaction; the event joins it."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from stegvis.audit import context
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.redaction import redact


def object_type_of(obj: models.Model) -> str:
    """The kind an event on ``obj`` records: ``app.model``, or the kind a model moved between apps
    kept (``AUDIT_OBJECT_TYPE``), so its past and future events stay one kind."""
    return getattr(type(obj), "AUDIT_OBJECT_TYPE", "") or obj._meta.label_lower


def record_event(
    *,
    actor: Any,
    action: Action | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    association: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one audit event. Personnummer-shaped text in ``details`` or ``reason`` is masked."""
    details = redact(details or {})
    reason = redact(reason)
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or obj.pk
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        action=str(action),
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        association_id=getattr(association, "pk", association),
        reason=reason[:500],
        request_id=context.request_id.get(),
        details=details,
    )


def record_permission_denied(*, actor: Any, capability: str, association: Any) -> AuditEvent:
    return record_event(
        actor=actor,
        action=Action.PERMISSION_DENIED,
        association=association,
        object_type="associations.association" if association is not None else "",
        object_id=getattr(association, "pk", "") or "",
        details={"capability": capability},
    )


def audit_log_reviewed(
    *, actor: Any, filters: dict[str, Any], association: Any = None, page: int = 1
) -> AuditEvent:
    """Record that ``actor`` looked at the audit log (auditors' reads are logged too)."""
    with transaction.atomic():
        return record_event(
            actor=actor,
            action=Action.SEARCH,
            object_type="audit.auditevent",
            association=association,
            details={"filter": filters, "page": page},
        )


def audit_log_exported(
    *, actor: Any, filters: dict[str, Any], association: Any = None, rows: int = 0
) -> AuditEvent:
    """Record that ``actor`` exported the filtered audit log."""
    with transaction.atomic():
        return record_event(
            actor=actor,
            action=Action.EXPORT,
            object_type="audit.auditevent",
            association=association,
            details={"filter": filters, "format": "csv", "rows": rows},
        )

"""Writes of gallring and legal holds. Each one transactional and audited (ADR 0007).

Audit details carry ids and counts only, never an identity.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event
from stegvis.lib.services import service
from stegvis.participants.models import Consent, Measurement, Participation, Person
from stegvis.privacy import retention
from stegvis.privacy.models import AuditPurgeWindow, LegalHold, RetentionErasure

CHUNK = 500
GALLRING = "privacy.gallring"


# --- legal hold ------------------------------------------------------------------------------


def may_manage_holds(actor: Any, participation: Participation) -> bool:
    """The insats's assigned deltagaransvarig, or a förbundsadministratör of its förbund."""
    intervention = participation.intervention
    return intervention.pk in scope.assigned_intervention_ids(actor) or scope.has_role(
        actor, Role.ASSOCIATION_ADMIN, intervention.association_id
    )


def _require_manager(actor: Any, participation: Participation) -> None:
    if not may_manage_holds(actor, participation):
        scope.deny(actor, Capability.MANAGE_ASSOCIATION, participation.intervention.association)


def legal_hold_place(*, actor: Any, participation: Participation, reason: str) -> LegalHold:
    """Stop gallring of ``participation`` until the hold is released."""
    _require_manager(actor, participation)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Anledning: beskriv varför uppgifterna ska bevaras.")})
    if contains_identifier(reason):
        raise ValidationError({"reason": _("Anledning: skriv anledningen utan personnummer.")})
    if hasattr(participation, "retention_erasure"):
        raise ValidationError(
            {"reason": _("Anledning: deltagandet är redan gallrat och kan inte bevaras.")}
        )
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(
                participation=participation, reason=reason[:300], placed_by=actor
            )
            record_event(
                actor=actor,
                action=Action.CREATE,
                obj=hold,
                association=participation.intervention.association_id,
                reason=reason[:300],
                details={"participation": participation.pk, "legal_hold": "placed"},
            )
    except IntegrityError:
        raise ValidationError(
            {"reason": _("Anledning: deltagandet har redan ett gällande bevarandebeslut.")}
        ) from None
    return hold


def _release_guard(kwargs: dict[str, Any]) -> None:
    _require_manager(kwargs["actor"], kwargs["hold"].participation)


def _release_audit(hold: LegalHold, kwargs: dict[str, Any]) -> None:
    record_event(
        actor=kwargs["actor"],
        action=Action.UPDATE,
        obj=hold,
        association=hold.participation.intervention.association_id,
        details={"participation": hold.participation_id, "legal_hold": "released"},
    )


@service(_release_guard, audit=_release_audit)
def legal_hold_release(*, actor: Any, hold: LegalHold) -> LegalHold:
    """End a hold: the participation is gallrad again when its time has come."""
    if hold.released_at is not None:
        raise ValidationError({"hold": _("Bevarandebeslutet är redan hävt.")})
    hold.released_at = timezone.now()
    hold.released_by = actor
    hold.save(update_fields=["released_at", "released_by"])
    return hold


# --- gallring --------------------------------------------------------------------------------


@dataclass
class GallringResult:
    """What a run erased (or, on a dry run, would erase): counts only, never identities."""

    dry_run: bool
    participation_years: int
    audit_years: int
    participation_cutoff: dt.date
    audit_cutoff: dt.datetime
    participations: int = 0
    measurements: int = 0
    persons: int = 0
    held: int = 0
    audit_events: int = 0
    by_intervention: dict[int, int] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "participation_years": self.participation_years,
            "audit_years": self.audit_years,
            "participation_cutoff": self.participation_cutoff.isoformat(),
            "audit_cutoff": self.audit_cutoff.isoformat(),
            "participations": self.participations,
            "measurements": self.measurements,
            "persons": self.persons,
            "held": self.held,
            "audit_events": self.audit_events,
            "by_intervention": {str(k): v for k, v in sorted(self.by_intervention.items())},
        }


def _active_hold() -> Exists:
    return Exists(
        LegalHold.objects.filter(participation=OuterRef("pk"), released_at__isnull=True)
    )


def expired_participations(cutoff: dt.date) -> QuerySet[Participation]:
    """Identified participations kept longer than the rule allows (holds not yet applied).

    Ended ones count from their end; a felregistrering that never ended from its registration.
    Withdrawn consent has already erased the identity, so those are not included.
    """
    start_of_cutoff = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return Participation.objects.filter(
        person__isnull=False, consent_withdrawn_at__isnull=True
    ).filter(
        Q(end_date__lt=cutoff)
        | Q(end_date__isnull=True, is_error=True, created__lt=start_of_cutoff)
    )


def _erase_chunk(ids: list[int]) -> tuple[list[int], int, int]:
    """Erase identity and measurements of ``ids``; returns (erased ids, measurements, persons)."""
    with transaction.atomic():
        rows = list(
            Participation.objects.select_for_update()
            .filter(pk__in=ids, person__isnull=False)
            .exclude(_active_hold())
            .values_list("pk", "person_id")
        )
        erased = [pk for pk, _person in rows]
        if not erased:
            return [], 0, 0
        person_ids = {person for _pk, person in rows}
        RetentionErasure.objects.bulk_create(
            [RetentionErasure(participation_id=pk) for pk in erased]
        )
        measurements = Measurement.objects.filter(participation_id__in=erased)
        n_measurements = measurements.count()
        measurements.delete()
        Consent.objects.filter(participation_id__in=erased).delete()
        Participation.objects.filter(pk__in=erased).update(
            person=None,
            residence=None,
            referred_by=None,
            age_at_start=None,
            idempotency_key=None,
        )
        n_persons, _by_model = Person.objects.filter(
            pk__in=person_ids, participations__isnull=True
        ).delete()
    return erased, n_measurements, n_persons


def _purge_audit(cutoff: dt.datetime) -> int:
    """Delete audit events older than ``cutoff`` through the guard's one window (ADR 0007)."""
    with transaction.atomic():
        window = AuditPurgeWindow.objects.create(cutoff=cutoff)
        deleted, _by_model = AuditEvent.objects.filter(at__lt=cutoff).delete()
        window.delete()
    return deleted


def gallra(
    *, actor: Any = None, dry_run: bool = False, now: dt.datetime | None = None
) -> GallringResult:
    """One gallring run by the deployment's rule; idempotent; audited (also a dry run)."""
    now = now or timezone.now()
    p_years = int(settings.STEGVIS_RETENTION_PARTICIPATION_YEARS)
    a_years = int(settings.STEGVIS_RETENTION_AUDIT_YEARS)
    result = GallringResult(
        dry_run=dry_run,
        participation_years=p_years,
        audit_years=a_years,
        participation_cutoff=retention.participation_cutoff(timezone.localdate(now), p_years),
        audit_cutoff=retention.audit_cutoff(now, a_years),
    )
    expired = expired_participations(result.participation_cutoff)
    result.held = expired.filter(_active_hold()).count()
    candidates = expired.exclude(_active_hold())
    if dry_run:
        rows = list(candidates.values_list("pk", "intervention_id", "person_id"))
        ids = [pk for pk, _i, _p in rows]
        result.participations = len(ids)
        result.by_intervention = dict(Counter(i for _pk, i, _p in rows))
        result.measurements = Measurement.objects.filter(participation_id__in=ids).count()
        person_ids = {p for _pk, _i, p in rows}
        result.persons = (
            Person.objects.filter(pk__in=person_ids)
            .exclude(participations__in=Participation.objects.exclude(pk__in=ids))
            .count()
        )
        result.audit_events = AuditEvent.objects.filter(at__lt=result.audit_cutoff).count()
    else:
        ids = list(candidates.order_by("pk").values_list("pk", flat=True))
        interventions = dict(
            Participation.objects.filter(pk__in=ids).values_list("pk", "intervention_id")
        )
        try:
            for i in range(0, len(ids), CHUNK):
                erased, n_measurements, n_persons = _erase_chunk(ids[i : i + CHUNK])
                result.participations += len(erased)
                result.measurements += n_measurements
                result.persons += n_persons
                for pk in erased:
                    key = interventions[pk]
                    result.by_intervention[key] = result.by_intervention.get(key, 0) + 1
            result.audit_events = _purge_audit(result.audit_cutoff)
        except Exception:
            # What the finished chunks erased is committed: record it, then fail loudly.
            _record_run(actor, result, failed=True)
            raise
    _record_run(actor, result)
    return result


def _record_run(actor: Any, result: GallringResult, *, failed: bool = False) -> None:
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.READ if result.dry_run else Action.DELETE,
            object_type=GALLRING,
            username="system",
            details={**result.details(), "failed": failed},
        )

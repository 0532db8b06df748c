"""Writes of register matching: the cohort export and the outcome import (ADR 0013).

- Cohort export: a förbundsadministratör with two-factor sign-in for their förbund, or a
  systemadministratör for the whole country. Participations whose consent covers follow-up
  (never felregistrering or withdrawn consent). The file is encrypted with age for the
  recipient's public key; Stegvis keeps the key mapping and never the plaintext.
- Outcome import: validated row by row, all or nothing; :func:`outcome_preview` checks without
  writing, :func:`outcome_import` writes and may destroy the key mapping.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pyrage
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.middleware import has_totp
from stegvis.access.roles import Role
from stegvis.associations.models import Association
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib import crypto
from stegvis.lib.errors import Errors
from stegvis.participants.models import ParticipationFact
from stegvis.registry import rules
from stegvis.registry.models import CohortExport, CohortMember, RegisterImport, RegisterOutcome


def may_export(user: Any, association: Association | None) -> bool:
    """Who may order a cohort export: see the module docstring."""
    if association is None:
        return scope.has_role(user, Role.SYSTEM_ADMIN)
    return (scope.has_role(user, Role.ASSOCIATION_ADMIN, association)
            or scope.has_role(user, Role.SYSTEM_ADMIN)) and has_totp(user)


def _recipient(public_key: str) -> Any:
    try:
        return pyrage.x25519.Recipient.from_str(public_key.strip())
    except pyrage.RecipientError:
        raise ValidationError(
            {"public_key": _("Mottagarens nyckel: ange en giltig age-nyckel (age1…).")}
        ) from None


@dataclass(frozen=True)
class ExportResult:
    export: CohortExport
    ciphertext: bytes


def cohort_export(
    *, actor: Any, association: Association | None, recipient: str, public_key: str,
    purpose: str, legal_basis: str,
) -> ExportResult:
    """Create a cohort export: a zip (kohort.csv + manifest.txt) encrypted with age."""
    if not may_export(actor, association):
        record_event(actor=actor, action=Action.PERMISSION_DENIED, object_type="registry.export",
                     association=association.pk if association else None,
                     details={"purpose": "cohort_export"})
        raise PermissionDenied(_("Kohortexport: din roll får inte göra kohortexporter."))
    errors = Errors()
    if not purpose.strip():
        errors.add("purpose", _("Ändamål: ange ändamålet med exporten."))
    if not legal_basis.strip():
        errors.add("legal_basis", _("Rättslig grund: ange den rättsliga grunden."))
    if not recipient.strip():
        errors.add("recipient", _("Mottagare: ange mottagaren."))
    errors.raise_if_any()
    target = _recipient(public_key)
    facts = ParticipationFact.objects.filter(
        is_error=False, follow_up_consent=True,
        participation__consent_withdrawn_at__isnull=True,
        participation__consent__scope_follow_up=True,
        participation__consent__withdrawn_at__isnull=True,
        participation__person__isnull=False,
    ).select_related("participation__person").order_by("pk")
    if association is not None:
        facts = facts.filter(association=association)
    with transaction.atomic():
        export = CohortExport.objects.create(
            association=association, ordered_by=actor, recipient=recipient.strip(),
            purpose=purpose.strip(), legal_basis=legal_basis.strip(), checksum="",
        )
        rows, members = [], []
        for fact in facts:
            person = fact.participation.person
            if person is None:  # left out by the query already (erased identities)
                continue
            key = rules.new_key()
            members.append(CohortMember(export=export, participation_id=fact.pk, key=key))
            rows.append(rules.CohortRow(
                personnummer=crypto.decrypt(person.identity_ciphertext),
                key=key, start=fact.start_date, end=fact.end_date, sex=fact.sex,
                age_group=fact.age_group,
            ))
        CohortMember.objects.bulk_create(members, batch_size=500)
        data = rules.cohort_csv(rows)
        export.row_count = len(rows)
        export.checksum = rules.checksum(data)
        export.save(update_fields=["row_count", "checksum"])
        manifest = rules.manifest_text(
            scope=association.name if association else "Hela landet",
            purpose=export.purpose, legal_basis=export.legal_basis,
            ordered_by=actor.get_username(), created=export.created_at.isoformat(),
            row_count=export.row_count, data_checksum=export.checksum,
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("kohort.csv", data)
            z.writestr("manifest.txt", manifest)
        record_event(actor=actor, action=Action.EXPORT, obj=export,
                     association=association.pk if association else None,
                     details={"rows": export.row_count, "recipient": export.recipient})
    return ExportResult(export, pyrage.encrypt(buffer.getvalue(), [target]))


@dataclass(frozen=True)
class Preview:
    rows: list[rules.OutcomeRow]
    errors: list[str]
    people: int
    months: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _may_import(user: Any, export: CohortExport) -> bool:
    return may_export(user, export.association)


def _require_import(actor: Any, export: CohortExport) -> None:
    if not _may_import(actor, export):
        record_event(actor=actor, action=Action.PERMISSION_DENIED, object_type="registry.import",
                     association=export.association_id, details={"export": export.pk})
        raise PermissionDenied(_("Registerimport: din roll får inte importera registeruppgifter."))


def outcome_preview(*, actor: Any, export: CohortExport, text: str) -> Preview:
    """Check an outcome file against the export without writing anything."""
    _require_import(actor, export)
    rows, errors = rules.parse_outcomes(text)
    if export.keys_destroyed_at is not None:
        errors = [_("Exportens nycklar är förstörda; filen kan inte längre matchas."), *errors]
    keys = dict(CohortMember.objects.filter(export=export).values_list("key", "participation_id"))
    taken = set(RegisterOutcome.objects.filter(
        participation_id__in=keys.values()).values_list("participation_id", "month"))
    for row in rows:
        pid = keys.get(row.key)
        if pid is None:  # never exported, or erased when the person withdrew consent
            errors.append(
                _(
                    "Rad %(line)s: nyckeln finns inte i exporten (eller personen har "
                    "återkallat sitt samtycke); ta bort raden."
                )
                % {"line": row.line}
            )
        elif (pid, row.month) in taken:
            errors.append(
                _("Rad %(line)s: månaden är redan importerad för nyckeln.") % {"line": row.line}
            )
    errors = errors[:rules.MAX_ERRORS]
    return Preview(rows, errors, len({r.key for r in rows}),
                   sorted({r.month.strftime("%Y-%m") for r in rows}))


def outcome_import(
    *, actor: Any, export: CohortExport, text: str, destroy_keys: bool
) -> RegisterImport:
    """Import every row or none; audited. ``destroy_keys`` deletes the key mapping after."""
    _require_import(actor, export)  # outside the transaction: the refusal stays audited
    with transaction.atomic():
        preview = outcome_preview(actor=actor, export=export, text=text)
        if not preview.ok:
            raise ValidationError({"file": preview.errors})
        keys = dict(
            CohortMember.objects.filter(export=export).values_list("key", "participation_id")
        )
        imported = RegisterImport.objects.create(export=export, imported_by=actor,
                                                 row_count=len(preview.rows))
        RegisterOutcome.objects.bulk_create([
            RegisterOutcome(
                register_import=imported, participation_id=keys[r.key], month=r.month,
                support="".join(f",{s}" for s in r.support) + ("," if r.support else ""),
                employed=r.employed, studying=r.studying, born_abroad=r.born_abroad,
            )
            for r in preview.rows
        ], batch_size=500)
        if destroy_keys:
            CohortMember.objects.filter(export=export).delete()
            export.keys_destroyed_at = timezone.now()
            export.save(update_fields=["keys_destroyed_at"])
        record_event(actor=actor, action=Action.CREATE, obj=imported,
                     association=export.association_id,
                     details={"export": export.pk, "rows": imported.row_count,
                              "people": preview.people, "keys_destroyed": destroy_keys})
    return imported


def erase_for_participation(*, participation: Any) -> int:
    """Consent withdrawn: the person's key in every export and their register outcomes go, in
    the withdrawing service's transaction. Audited with counts only; returns rows deleted."""
    keys, _ = CohortMember.objects.filter(participation=participation).delete()
    outcomes, _ = RegisterOutcome.objects.filter(participation=participation).delete()
    if keys or outcomes:
        record_event(actor=None, username="system", action=Action.DELETE,
                     object_type="registry.registeroutcome", object_id=participation.pk,
                     association=participation.intervention.association_id,
                     details={"participation": participation.pk, "keys": keys,
                              "outcomes": outcomes, "why": "consent_withdrawn"})
    return keys + outcomes

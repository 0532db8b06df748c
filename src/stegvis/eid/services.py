"""Writes of the e-legitimation app: recording a user's identity, and refused sign-ins.

Every write records its audit event in the same transaction. The identity itself never goes
into an audit event, a log line or an exception message: only its kind does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.access.services import _require_manage_account
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.eid import identifiers
from stegvis.eid.config import IDENTITY_KINDS
from stegvis.eid.models import EidIdentity
from stegvis.lib.crypto import blind_index, encrypt
from stegvis.lib.services import service

MSG_TAKEN = gettext_noop("Identiteten är redan kopplad till ett annat konto.")


def _parse(kind: str, value: str) -> tuple[str, str]:
    if kind not in IDENTITY_KINDS:
        raise ValidationError({"kind": _("Typ: välj HSA-id eller personnummer.")})
    try:
        normalised = identifiers.normalise(kind, value)
    except identifiers.IdentifierError as e:
        raise ValidationError({"value": _("Identitet: %(error)s") % {"error": str(e)}}) from None
    return normalised, blind_index(identifiers.index_input(kind, normalised))


def identity_set(*, actor: Any, user: Any, kind: str, value: str) -> EidIdentity:
    """Record (or replace) the HSA-id or personnummer ``user`` signs in with."""
    normalised, index = _parse(kind, value)
    _require_manage_account(actor, user)
    if EidIdentity.objects.filter(kind=kind, value_index=index).exclude(user=user).exists():
        raise ValidationError({"value": _(MSG_TAKEN)})
    try:
        with transaction.atomic():
            identity, created = EidIdentity.objects.update_or_create(
                user=user,
                kind=kind,
                defaults={"value_encrypted": encrypt(normalised), "value_index": index},
            )
            record_event(
                actor=actor,
                action=Action.CREATE if created else Action.UPDATE,
                obj=identity,
                details={"kind": kind, "user": user.pk},
            )
    except IntegrityError:  # the same identity recorded for another account meanwhile
        raise ValidationError({"value": _(MSG_TAKEN)}) from None
    return identity


def _manage_account_guard(kwargs: dict[str, Any]) -> None:
    _require_manage_account(kwargs["actor"], kwargs["user"])


@service(_manage_account_guard)
def identity_remove(*, actor: Any, user: Any, kind: str) -> None:
    """Forget the identity of ``kind``: the user can no longer sign in with it."""
    identity = EidIdentity.objects.select_for_update().filter(user=user, kind=kind).first()
    if identity is None:
        raise ValidationError({"kind": _("Användaren har ingen sådan e-legitimation.")})
    # Recorded before the delete: the event names the row that is about to go.
    record_event(
        actor=actor,
        action=Action.DELETE,
        obj=identity,
        details={"kind": kind, "user": user.pk},
    )
    identity.delete()


@transaction.atomic
def signin_refused_record(*, provider: str, reason: str, user: Any | None = None) -> None:
    """Audit a refused e-legitimation sign-in. ``reason`` is a code, never the identity."""
    record_event(
        actor=None,
        action=Action.LOGIN_FAILED,
        username=user.get_username() if user is not None else "",
        details={"stage": "eid", "provider": provider, "reason": reason},
    )

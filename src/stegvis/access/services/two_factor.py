"""Two-factor set-up (TOTP) and the rotation of the encryption of its secrets.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.access.services._common import is_system_admin
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib import crypto

# --- two-factor ------------------------------------------------------------------------------


def _normalise_totp_secret(secret: str) -> str:
    cleaned = "".join((secret or "").split()).upper()
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < 10:
        raise ValidationError(
            {"secret": _("Hemlighet: ange minst 16 tecken i base32 (A–Z, 2–7).")}
        )
    return cleaned


def totp_uri(*, user: Any, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (as in the QR code)."""
    from allauth.mfa.adapter import get_adapter

    return get_adapter().build_totp_url(user, _normalise_totp_secret(secret))


@transaction.atomic
def totp_enable_with_secret(*, actor: Any, user: Any, secret: str) -> Any:
    """Give ``user`` a TOTP authenticator with a known secret (for the demo generator).

    ``actor`` is the user, a systemadministratör, or ``None`` for a command run by the
    operator. Only allowed in a demo deployment unless the actor is the user themself. The
    secret never enters the audit log.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    is_self = actor is not None and getattr(actor, "pk", None) == user.pk
    if not is_self and not settings.STEGVIS_DEMO:
        raise PermissionDenied
    if actor is not None and not is_self and not is_system_admin(actor):
        raise PermissionDenied
    cleaned = _normalise_totp_secret(secret)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        raise ValidationError(
            {"secret": _("Hemlighet: användaren har redan en autentiseringsapp.")}
        )
    authenticator = TOTP.activate(user, cleaned).instance
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=authenticator,
        object_type="mfa.authenticator",
        details={"user": user.get_username(), "type": "totp"},
        username="" if actor is not None else "system",
    )
    return authenticator


@transaction.atomic
def two_factor_secrets_rotate() -> int:
    """Re-encrypt every stored TOTP secret with the newest identity key (operator command)."""
    from allauth.mfa.models import Authenticator

    rotated = []
    for authenticator in Authenticator.objects.select_for_update().filter(
        type=Authenticator.Type.TOTP
    ):
        authenticator.data["secret"] = crypto.rotate(authenticator.data["secret"])
        rotated.append(authenticator)
    Authenticator.objects.bulk_update(rotated, ["data"])
    record_event(
        actor=None,
        username="system",
        action=Action.UPDATE,
        object_type="mfa.authenticator",
        details={"rotated_two_factor_secrets": len(rotated)},
    )
    return len(rotated)

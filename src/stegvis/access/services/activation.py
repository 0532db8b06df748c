"""Access reset and activation codes, activating an account, and the first system administrator.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.models import ActivationCode, PasswordChangeRequired, RoleGrant
from stegvis.access.roles import Role
from stegvis.access.services._common import User, _hash_secret, _require_manage_account
from stegvis.access.services.signin import login_failed_record
from stegvis.audit.models import Action
from stegvis.audit.services import record_event

# --- access reset and activation codes --------------------------------------------------------

ACTIVATION_CODE_HOURS = 24
# Letters and digits that cannot be mistaken for one another when read out on the phone.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _user_association_ids(user: Any) -> list[int | None]:
    """The förbund whose granskare see events about ``user`` (``[None]``: national only)."""
    ids: list[int | None] = [
        *sorted({aid for aid in RoleGrant.objects.filter(user=user).values_list(
            "association_id", flat=True) if aid})
    ]
    return ids or [None]


def _new_activation_code(actor: Any, user: Any) -> tuple[str, dt.datetime]:
    """Replace the user's unused activation codes by a new one; store only its hash."""
    code = "-".join(
        "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(4)
    )
    expires = timezone.now() + dt.timedelta(hours=ACTIVATION_CODE_HOURS)
    ActivationCode.objects.filter(user=user, used_at__isnull=True).delete()
    ActivationCode.objects.create(
        user=user, hashed_code=_hash_secret(_normalise_code(code)), created_by=actor,
        expires_at=expires,
    )
    return code, expires


def activation_code_issue(*, actor: Any, user: Any) -> tuple[str, dt.datetime]:
    """The first activation code of an account created without a password: the user chooses
    their own password (and second factor) with it. Refused for an account already in use
    (that is ``user_access_reset``)."""
    from allauth.mfa.models import Authenticator

    _require_manage_account(actor, user)
    if user.has_usable_password() or Authenticator.objects.filter(user=user).exists():
        raise ValidationError(
            {"user": _("Användare: kontot används redan. Återställ åtkomsten i stället.")}
        )
    with transaction.atomic():
        code, expires = _new_activation_code(actor, user)
        for association_id in _user_association_ids(user):
            record_event(
                actor=actor,
                action=Action.UPDATE,
                obj=user,
                object_type="auth.user",
                association=association_id,
                details={"user": user.get_username(), "change": "activation_code",
                         "activation_code_hours": ACTIVATION_CODE_HOURS},
            )
    return code, expires


def user_access_reset(*, actor: Any, user: Any) -> tuple[str, Any]:
    """Reset a user's access (forgotten password, lost phone, locked account).

    The administrator never gets a working login for the user: the password is made unusable,
    every second factor (authenticator app, recovery codes) is removed, the account is
    unlocked, and a one-time activation code valid for ``ACTIVATION_CODE_HOURS`` is returned,
    to be shown once and handed to the user. With it the user sets a new password
    (``account_activate``) and, where the role requires it, enrols a new second factor at the
    first sign-in. Recorded for every förbund the user holds a role in, so each förbund's
    granskare sees it. Returns (the code, when it expires).
    """
    from allauth.mfa.models import Authenticator
    from axes.utils import reset as axes_reset

    _require_manage_account(actor, user)
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        removed, _detail = Authenticator.objects.filter(user=user).delete()
        code, expires = _new_activation_code(actor, user)
        axes_reset(username=user.get_username())
        for association_id in _user_association_ids(user):
            record_event(
                actor=actor,
                action=Action.UPDATE,
                obj=user,
                object_type="auth.user",
                association=association_id,
                details={"user": user.get_username(), "change": "access_reset",
                         "authenticators_removed": removed,
                         "activation_code_hours": ACTIVATION_CODE_HOURS},
            )
    return code, expires


def account_activate(*, username: str, code: str, password: str) -> Any:
    """Set a new password with an activation code (consumed). Raises ValidationError with
    the same message for an unknown user, a wrong, used or expired code."""
    refused = ValidationError(
        {"code": _("Aktiveringskod: koden stämmer inte, är redan använd eller för gammal. "
                   "Be administratören om en ny.")}
    )
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    hashed = _hash_secret(_normalise_code(code))
    candidate = None
    if user is not None and user.is_active:
        candidate = (
            ActivationCode.objects.filter(
                user=user, used_at__isnull=True, expires_at__gt=timezone.now()
            )
            .order_by("-created")
            .first()
        )
    if user is None or candidate is None or not secrets.compare_digest(
        candidate.hashed_code, hashed
    ):
        login_failed_record(username=username, stage="activation")
        raise refused
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationError(
            {"password1": [_("Lösenord: %(message)s") % {"message": m} for m in e.messages]}
        ) from None
    with transaction.atomic():
        consumed = ActivationCode.objects.filter(
            pk=candidate.pk, used_at__isnull=True
        ).update(used_at=timezone.now())
        if not consumed:  # used by a simultaneous request
            raise refused
        user.set_password(password)
        user.save(update_fields=["password"])
        PasswordChangeRequired.objects.filter(user=user).delete()  # chosen by the user
        for association_id in _user_association_ids(user):
            record_event(
                actor=user,
                action=Action.UPDATE,
                obj=user,
                object_type="auth.user",
                association=association_id,
                details={"change": "activated"},
            )
    return user


@transaction.atomic
def system_admin_bootstrap(*, username: str, password: str) -> Any:
    """Create the first systemadministratör (operator's command or demo; no acting user yet).

    Refused once any systemadministratör exists: later ones are created by an existing one.
    """
    if RoleGrant.objects.filter(role=Role.SYSTEM_ADMIN.value, association=None).exists():
        raise PermissionDenied
    user = User(username=username.strip())
    validate_password(password, user)
    user.set_password(password)
    user.save()
    grant = RoleGrant.objects.create(user=user, role=Role.SYSTEM_ADMIN.value, association=None)
    record_event(
        actor=None,
        username="system",
        action=Action.CREATE,
        obj=grant,
        details={"user": user.get_username(), "role": Role.SYSTEM_ADMIN.value},
    )
    return user

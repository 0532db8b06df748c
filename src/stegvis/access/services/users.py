"""Writes of the access app: users, role grants, two-factor set-up, API keys, sign-in events.

Every function validates its input, raises ``ValidationError`` with Swedish messages naming the
field, writes, and records an audit event in the same transaction. Authorisation is checked
before the transaction opens, so that a refusal's PERMISSION_DENIED event is kept.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.models import ROLE_LABELS, ActivationCode, ApiToken, RoleGrant
from stegvis.access.roles import NATIONAL_ROLES, PERSONAL_DATA_ROLES, Capability, Role
from stegvis.associations.models import Association
from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event
from stegvis.lib import freetext

User = get_user_model()

# Shown instead of an attempted user name that looks like a personnummer.
HIDDEN_USERNAME = "(dolt)"
API_TOKEN_PREFIX = "stg_"


# --- authorisation helpers -------------------------------------------------------------------


def is_system_admin(user: Any) -> bool:
    return scope.has_role(user, Role.SYSTEM_ADMIN)


def _require_manage(actor: Any, association: Association | None) -> None:
    """The actor may manage users of ``association`` (``None``: national grants)."""
    if association is None:
        if not is_system_admin(actor):
            raise PermissionDenied
        return
    scope.require(actor, Capability.MANAGE_ASSOCIATION, association)


def _parse_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError({"role": _("Roll: okänd roll.")}) from None


def _check_grantable(actor: Any, role: Role, association: Association | None) -> None:
    """Validation and authorisation shared by grant and revoke."""
    if association is None and role not in NATIONAL_ROLES:
        raise ValidationError(
            {"association": _("Förbund: rollen %(role)s måste gälla ett förbund.")
             % {"role": ROLE_LABELS[role]}}
        )
    if association is not None and role == Role.SYSTEM_ADMIN:
        raise ValidationError(
            {"role": _("Roll: systemadministratör kan bara tilldelas för hela landet.")}
        )
    _require_manage(actor, association)


# --- users and roles -------------------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    association: Association | None = None,
    role: Role | str | None = None,
) -> Any:
    """Create a user account, optionally with a first role in ``association``.

    A systemadministratör may create any account; a förbundsadministratör only together with a
    role in their own förbund (otherwise the account would be invisible to them). Without a
    password the account cannot sign in with a password until one is set.
    """
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors.setdefault("username", []).append(_("Användarnamn: fyll i ett användarnamn."))
    elif len(username) > 150:
        errors.setdefault("username", []).append(
            _("Användarnamn: högst 150 tecken.")
        )
    elif contains_identifier(username):
        errors.setdefault("username", []).append(
            _("Användarnamn: får inte innehålla ett personnummer.")
        )
    elif User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(
            _("Användarnamn: det finns redan en användare med det namnet.")
        )
    parsed_role = None
    if role:
        try:
            parsed_role = _parse_role(role)
        except ValidationError as e:
            errors.setdefault("role", []).extend(e.message_dict["role"])
    if not is_system_admin(actor) and (association is None or parsed_role is None):
        if association is None:
            raise PermissionDenied
        if "role" not in errors:
            errors.setdefault("role", []).append(_("Roll: välj en roll i förbundet."))
    if association is not None:
        _require_manage(actor, association)
    elif not is_system_admin(actor):
        raise PermissionDenied
    if password:
        candidate = User(username=username, first_name=first_name, last_name=last_name,
                         email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as e:
            errors.setdefault("password", []).extend(
                [_("Lösenord: %(message)s") % {"message": m} for m in e.messages]
            )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user = User(
            username=username, first_name=first_name, last_name=last_name, email=email
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=user,
            object_type="auth.user",
            association=association,
            details={"username": username},
        )
        if association is not None and parsed_role is not None:
            _check_grantable(actor, parsed_role, association)
            _grant(actor=actor, user=user, role=parsed_role, association=association)
    return user


def role_grant(
    *, actor: Any, user: Any, role: Role | str, association: Association | None
) -> RoleGrant:
    """Give ``user`` ``role`` in ``association`` (``None``: nationally).

    systemadministratör: any grant. förbundsadministratör: only in förbund where they are
    administrator, only to accounts already holding a role there, and never national grants
    or systemadministratör. Nobody grants themselves a role that sees personal data.
    """
    parsed = _parse_role(role)
    _check_grantable(actor, parsed, association)
    _require_attach(actor, user, association)
    return _grant(actor=actor, user=user, role=parsed, association=association)


def _require_attach(actor: Any, user: Any, association: Association | None) -> None:
    """Only a systemadministratör gives a role to an account that holds none in the förbund:
    a förbundsadministratör adds roles to the förbund's own accounts (and to accounts they
    create, see ``user_create``), never to another förbund's account."""
    if is_system_admin(actor):
        return
    if not RoleGrant.objects.filter(user=user, association=association).exists():
        raise ValidationError(
            {"username": _("Användarnamn: det finns ingen sådan användare i förbundet.")}
        )


def _grant(
    *, actor: Any, user: Any, role: Role, association: Association | None
) -> RoleGrant:
    """Write a validated grant. Nobody gives themselves a role that sees personal data."""
    parsed = role
    if parsed in PERSONAL_DATA_ROLES and getattr(actor, "pk", None) == user.pk:
        raise ValidationError(
            {"role": _("Roll: du kan inte ge dig själv en roll som ser personuppgifter. "
                       "Be en annan administratör.")}
        )
    if not user.is_active:
        raise ValidationError({"user": _("Användare: kontot är avstängt.")})
    exists = RoleGrant.objects.filter(user=user, role=parsed.value, association=association)
    if exists.exists():
        raise ValidationError(
            {"role": _("Roll: %(user)s har redan rollen %(role)s här.")
             % {"user": user.get_username(), "role": ROLE_LABELS[parsed]}}
        )
    with transaction.atomic():
        grant = RoleGrant.objects.create(user=user, role=parsed.value, association=association)
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=grant,
            association=association,
            details={"user": user.get_username(), "role": parsed.value},
        )
    scope.forget(user)
    scope.forget(actor)
    return grant


def role_revoke(
    *, actor: Any, user: Any, role: Role | str, association: Association | None
) -> None:
    """Take ``role`` in ``association`` away from ``user`` (same rules as ``role_grant``)."""
    parsed = _parse_role(role)
    _check_grantable(actor, parsed, association)
    grant = RoleGrant.objects.filter(
        user=user, role=parsed.value, association=association
    ).first()
    if grant is None:
        raise ValidationError(
            {"role": _("Roll: %(user)s har inte rollen %(role)s här.")
             % {"user": user.get_username(), "role": ROLE_LABELS[parsed]}}
        )
    grant_id = grant.pk
    with transaction.atomic():
        grant.delete()
        record_event(
            actor=actor,
            action=Action.DELETE,
            object_type="access.rolegrant",
            object_id=grant_id,
            association=association,
            details={"user": user.get_username(), "role": parsed.value},
        )
    scope.forget(user)
    scope.forget(actor)


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


# --- API keys --------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Create an API key for ``actor``; returns the token and the key, shown only once."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Namn: ge nyckeln ett namn.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Namn: högst 100 tecken.")})
    if problem := freetext.text_problem(_("Namn"), name, today=timezone.localdate()):
        raise ValidationError({"name": problem})
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, hashed_secret=_hash_secret(secret)
    )
    record_event(actor=actor, action=Action.CREATE, obj=token, details={"name": name})
    return token, f"{API_TOKEN_PREFIX}{prefix}.{secret}"


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own API keys."""
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if token.revoked_at is not None:
        raise ValidationError({"token": _("Nyckel: nyckeln är redan återkallad.")})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=actor, action=Action.UPDATE, obj=token, details={"revoked": True})
    return token


def api_token_authenticate(*, key: str) -> Any | None:
    """The active user owning the API key ``key``, or ``None``.

    Touching ``last_used`` (at most once a minute) is bookkeeping and deliberately not
    audited: the API calls themselves are audited where they read personal data.
    """
    if not key or not key.startswith(API_TOKEN_PREFIX):
        return None
    prefix, _sep, secret = key[len(API_TOKEN_PREFIX):].partition(".")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.hashed_secret, _hash_secret(secret)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


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


def _require_manage_account(actor: Any, user: Any) -> None:
    """A systemadministratör manages every account; a förbundsadministratör only accounts whose
    every role lies in förbund they administer (never national accounts)."""
    if is_system_admin(actor):
        return
    grants = list(RoleGrant.objects.filter(user=user).select_related("association"))
    if not grants or any(g.association is None for g in grants):
        raise PermissionDenied
    for association in {g.association for g in grants}:
        _require_manage(actor, association)


# --- access reset and activation codes --------------------------------------------------------

ACTIVATION_CODE_HOURS = 24
# Letters and digits that cannot be mistaken for one another when read out on the phone.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _user_association_ids(user: Any) -> list[int | None]:
    """The förbund whose granskare see events about ``user`` (``[None]``: national only)."""
    ids = sorted(
        {aid for aid in RoleGrant.objects.filter(user=user).values_list("association_id",
                                                                         flat=True) if aid}
    )
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
    if candidate is None or not secrets.compare_digest(candidate.hashed_code, hashed):
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


@transaction.atomic
def two_factor_secrets_rotate() -> int:
    """Re-encrypt every stored TOTP secret with the newest identity key (operator command)."""
    from allauth.mfa.models import Authenticator

    from stegvis.participants import identity

    rotated = []
    for authenticator in Authenticator.objects.select_for_update().filter(
        type=Authenticator.Type.TOTP
    ):
        authenticator.data["secret"] = identity.rotate(authenticator.data["secret"])
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

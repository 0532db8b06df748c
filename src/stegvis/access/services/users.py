"""Users and roles: creating an account, granting and revoking roles.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.models import ROLE_LABELS, PasswordChangeRequired, RoleGrant
from stegvis.access.roles import PERSONAL_DATA_ROLES, Role
from stegvis.access.scope import Association
from stegvis.access.services._common import (
    User,
    _check_grantable,
    _parse_role,
    _require_manage,
    is_system_admin,
)
from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event
from stegvis.lib.errors import Errors

# --- users and roles -------------------------------------------------------------------------


def _username_problem(username: str) -> str | None:
    """Why ``username`` cannot be a new account's name (None when it can)."""
    if not username:
        return _("Användarnamn: fyll i ett användarnamn.")
    if len(username) > 150:
        return _("Användarnamn: högst 150 tecken.")
    if contains_identifier(username):
        return _("Användarnamn: får inte innehålla ett personnummer.")
    if User.objects.filter(username__iexact=username).exists():
        return _("Användarnamn: det finns redan en användare med det namnet.")
    return None


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
    temporary_password: bool = True,
) -> Any:
    """Create a user account, optionally with a first role in ``association``.

    A password given here is known to the one who created the account: it is temporary and
    must be changed at the first sign-in (``access.first_sign_in``), unless
    ``temporary_password`` is False (only the demo, whose shared sign-ins are printed for all).

    A systemadministratör may create any account; a förbundsadministratör only together with a
    role in their own förbund (otherwise the account would be invisible to them). Without a
    password the account cannot sign in with a password until one is set.
    """
    username = (username or "").strip()
    errors = Errors()
    problem = _username_problem(username)
    if problem:
        errors.add("username", problem)
    parsed_role = None
    if role:
        try:
            parsed_role = _parse_role(role)
        except ValidationError as e:
            errors.add_all("role", e.message_dict["role"])
    if not is_system_admin(actor) and (association is None or parsed_role is None):
        if association is None:
            raise PermissionDenied
        if "role" not in errors:
            errors.add("role", _("Roll: välj en roll i förbundet."))
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
            errors.add_all(
                "password", [_("Lösenord: %(message)s") % {"message": m} for m in e.messages]
            )
    errors.raise_if_any()

    with transaction.atomic():
        user = User(
            username=username, first_name=first_name, last_name=last_name, email=email
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        if password and temporary_password:
            PasswordChangeRequired.objects.create(
                user=user, set_by=actor if getattr(actor, "is_authenticated", False) else None
            )
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



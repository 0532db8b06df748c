"""What the access services share: the user model, the authorisation checks and the parsing of
roles.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.models import ROLE_LABELS, RoleGrant
from stegvis.access.roles import NATIONAL_ROLES, Capability, Role
from stegvis.access.scope import Association

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


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()

"""National roles given in the UI (issue 11): systemadministratör, rapportläsare and granskare
for the whole country. Only a systemadministratör grants or removes them.

Separation of duties (ADR 0004): nobody grants themselves a national role (a national
granskare reads every förbund's audit log, including the grants of the one who gave it), and
a systemadministratör does not remove their own role (so one always remains).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stegvis.access import services
from stegvis.access.models import RoleGrant
from stegvis.access.roles import NATIONAL_ROLES, Role
from stegvis.access.services._common import _parse_role, _require_manage


def _national(role: Role | str) -> Role:
    parsed = _parse_role(role)
    if parsed not in NATIONAL_ROLES:
        raise ValidationError(
            {"role": _("Roll: välj systemadministratör, rapportläsare eller granskare.")}
        )
    return parsed


def national_role_grant(*, actor: Any, user: Any, role: Role | str) -> RoleGrant:
    """Give ``user`` a national ``role`` (systemadministratör only; never to themselves)."""
    _require_manage(actor, None)
    parsed = _national(role)
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationError(
            {"username": _("Användarnamn: du kan inte ge dig själv en nationell roll. "
                           "Be en annan systemadministratör.")}
        )
    return services.role_grant(actor=actor, user=user, role=parsed, association=None)


def national_role_revoke(*, actor: Any, user: Any, role: Role | str) -> None:
    """Take a national role away (systemadministratör only; never the actor's own
    systemadministratör role, so one always remains)."""
    _require_manage(actor, None)
    parsed = _national(role)
    if parsed == Role.SYSTEM_ADMIN and getattr(actor, "pk", None) == user.pk:
        raise ValidationError(
            {"role": _("Roll: du kan inte ta bort din egen roll som systemadministratör. "
                       "Be en annan systemadministratör.")}
        )
    services.role_revoke(actor=actor, user=user, role=parsed, association=None)

"""What the finance services share: the error collector, whole-kronor parsing, the permission
guard run before the transaction, and the check of a year against the förbund's lifetime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.associations.models import (
    Association,
)
from stegvis.finance.models import (
    FinanceYear,
)
from stegvis.finance.numbers import NumberError, parse_kronor
from stegvis.lib.errors import Errors

YEAR_MIN, YEAR_MAX = 2004, 2100
def _kronor(errors: Errors, field: str, label: str, value: Any, *, required: bool = True
            ) -> int | None:
    try:
        number = parse_kronor(value)
    except NumberError as error:
        errors.add(field, error.message(label))
        return None
    if number is None and required:
        errors.add(field, _("%(label)s: ange ett belopp i hela kronor.") % {"label": label})
    return number


def _today() -> dt.date:
    return timezone.localdate()


def _require_manage(actor: Any, association: Association) -> None:
    scope.require(actor, Capability.MANAGE_ASSOCIATION, association)


def _require_system_admin(actor: Any) -> None:
    if not scope.has_role(actor, Role.SYSTEM_ADMIN):
        scope.deny(actor, Capability.MANAGE_ASSOCIATION, None)


def _manage_of(name: str) -> Callable[[dict[str, Any]], None]:
    def guard(kwargs: dict[str, Any]) -> None:
        obj = kwargs[name]
        association = (
            obj if isinstance(obj, Association)
            else obj.association if isinstance(obj, FinanceYear)
            else obj.finance_year.association
        )
        _require_manage(kwargs["actor"], association)

    return guard


def _national(kwargs: dict[str, Any]) -> None:
    _require_system_admin(kwargs["actor"])


def _check_year(errors: Errors, association: Association, year: Any) -> int | None:
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors.add("year", _("År: ange ett årtal med fyra siffror."))
        return None
    first = association.founded.year
    last = association.dissolved.year if association.dissolved else None
    if year < first or (last is not None and year > last) or not YEAR_MIN <= year <= YEAR_MAX:
        span = f"{first}–{last}" if last else _("från %(first)s") % {"first": first}
        errors.add(
            "year",
            _("År: %(year)s ligger utanför förbundets verksamhetstid (%(span)s).")
            % {"year": year, "span": span},
        )
        return None
    return year

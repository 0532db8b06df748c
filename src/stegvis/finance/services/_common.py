"""What the finance services share: the error collector, whole-kronor parsing, the permission
guard run before the transaction, and the check of a year against the förbund's lifetime.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import transaction
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

YEAR_MIN, YEAR_MAX = 2004, 2100
F = TypeVar("F", bound=Callable[..., Any])


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, [])
        if message not in self.by_field[field]:
            self.by_field[field].append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(
                {f: [ValidationError(m) for m in ms] for f, ms in self.by_field.items()}
            )


def _kronor(errors: _Errors, field: str, label: str, value: Any, *, required: bool = True
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


def _service(guard: Callable[[dict[str, Any]], None]) -> Callable[[F], F]:
    """Check permission first (a refusal is audited and must not be rolled back), then run the
    write in one transaction."""

    def decorator(function: F) -> F:
        @functools.wraps(function)
        def wrapper(**kwargs: Any) -> Any:
            guard(kwargs)
            with transaction.atomic():
                return function(**kwargs)

        return cast(F, wrapper)

    return decorator


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


def _check_year(errors: _Errors, association: Association, year: Any) -> int | None:
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

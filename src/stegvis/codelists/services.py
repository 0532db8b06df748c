"""Writes to the versioned code lists. Only a systemadministratör may call these.

Codes are never deleted and their meaning never rewritten: measurements and insatser made in the
past keep pointing at the code they used. So there is deliberately

- no delete service at all;
- no service that changes a code's ``key``, ``label``, list or flags. A changed wording or meaning
  is a *new* code (``code_create``) and the old one is retired (``code_retire``), so reports over
  past periods show what was actually recorded then;
- only ``code_set_sort_order``, because the order in which codes are listed is presentation, not
  history.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib.errors import Errors
from stegvis.lib.services import service
from stegvis.reference.codelists_seed import PRECISE_ORIENTATION_PREFIXES
from stegvis.reference.models import ActivityCategory, Code, CodeList

OBJECT_TYPE = "reference.code"
CAPABILITY = "manage_code_lists"
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
MAX_SORT_ORDER = 32767


def may_manage_code_lists(user: Any) -> bool:
    """A systemadministratör's permission (stegvis.access.rules; named, so no import upward)."""
    return rules.has_perm("stegvis.administer", user)


def require_code_list_admin(user: Any) -> None:
    """Raise PermissionDenied, and record it, unless ``user`` is a systemadministratör.

    The audit event is written outside the caller's transaction so it survives the refusal.
    """
    if may_manage_code_lists(user):
        return
    record_event(
        actor=user,
        action=Action.PERMISSION_DENIED,
        object_type=OBJECT_TYPE,
        details={"capability": CAPABILITY},
    )
    raise PermissionDenied


def _validate_period(valid_from: dt.date | None, valid_to: dt.date | None) -> Errors:
    errors = Errors()
    if not isinstance(valid_from, dt.date):
        errors.add("valid_from", _("Ange ett datum för Giltig från."))
    elif valid_to is not None and valid_to < valid_from:
        errors.add("valid_to", _("Giltig till kan inte vara före Giltig från (%(date)s).") % {
            "date": valid_from.isoformat()
        })
    return errors


def _validate_sort_order(sort_order: Any) -> str | None:
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        return _("Sorteringsordning måste vara ett heltal.")
    if not 0 <= sort_order <= MAX_SORT_ORDER:
        return _("Sorteringsordning måste vara mellan 0 och %(max)s.") % {"max": MAX_SORT_ORDER}
    return None


def code_create(
    *,
    actor: Any,
    list: str,
    key: str,
    label: str,
    sort_order: int,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    public_support: bool = False,
    category: str = "",
    level: int | None = None,
) -> Code:
    """Add a code to a code list.

    Validates: known list; key a lowercase ASCII slug, unique within the list (also among
    retired codes: a key is never reused); a label; period ``valid_to >= valid_from``; activity
    codes need a headline category, progression steps a level 0–10; precise orientations a key
    starting with ``individ_`` or ``struktur_``. Flags that do not belong to the list are refused.
    """
    require_code_list_admin(actor)
    key = (key or "").strip()
    label = (label or "").strip()
    category = category or ""
    errors = Errors()
    if list not in CodeList.values:
        errors.add("list", _("Okänd kodlista."))
    if key_error := _key_error(list, key):
        errors.add("key", key_error)
    if label_error := _label_error(label):
        errors.add("label", label_error)
    if sort_error := _validate_sort_order(sort_order):
        errors.add("sort_order", sort_error)
    errors.merge(_validate_period(valid_from, valid_to))
    errors.merge(_flag_errors(list, category=category, level=level, public_support=public_support))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            code = Code.objects.create(
                list=list,
                key=key,
                label=label,
                sort_order=sort_order,
                valid_from=valid_from,
                valid_to=valid_to,
                public_support=bool(public_support),
                category=category,
                level=level,
            )
            _record_created(actor, code)
    except IntegrityError as exc:  # a concurrent create of the same key
        raise ValidationError(
            {"key": _("Nyckeln %(key)s finns redan i kodlistan.") % {"key": key}}
        ) from exc
    return code


def _key_error(code_list: str, key: str) -> str | None:
    """Why ``key`` cannot be a new code's key in ``code_list`` (None: it can)."""
    if not key:
        return _("Ange en nyckel.")
    if len(key) > 60 or not KEY_RE.match(key):
        return _(
            "Nyckeln får bara innehålla små bokstäver a–z, siffror och understreck "
            "(högst 60 tecken) och måste börja med en bokstav eller siffra."
        )
    if Code.objects.filter(list=code_list, key=key).exists():
        return _("Nyckeln %(key)s finns redan i kodlistan.") % {"key": key}
    if code_list == CodeList.PRECISE_ORIENTATION and not key.startswith(
        tuple(PRECISE_ORIENTATION_PREFIXES.values())
    ):
        return _(
            "Nyckeln för en preciserad inriktning måste börja med individ_ (individinriktad) "
            "eller struktur_ (strukturövergripande)."
        )
    return None


def _label_error(label: str) -> str | None:
    if not label:
        return _("Ange en benämning.")
    if len(label) > 200:
        return _("Benämningen får vara högst 200 tecken.")
    return None


def _flag_errors(
    code_list: str, *, category: str, level: int | None, public_support: bool
) -> Errors:
    """Flags missing where the list needs them, or given where it does not use them."""
    errors = Errors()
    if code_list == CodeList.ACTIVITY:
        if category not in ActivityCategory.values:
            errors.add("category", _("Välj en huvudkategori för sysselsättningen."))
    elif category:
        errors.add("category", _("Huvudkategori används bara för sysselsättningskoder."))
    if code_list == CodeList.PROGRESSION_STEP:
        if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 10:
            errors.add("level", _("Ange stegets nivå som ett heltal mellan 0 och 10."))
    elif level is not None:
        errors.add("level", _("Nivå används bara för stegförflyttningens steg."))
    if public_support and code_list != CodeList.INCOME_SOURCE:
        errors.add("public_support", _("Offentlig försörjning används bara för försörjningskoder."))
    return errors


def _record_created(actor: Any, code: Code) -> None:
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=code,
        object_type=OBJECT_TYPE,
        details={
            "list": code.list,
            "key": code.key,
            "label": code.label,
            "valid_from": code.valid_from.isoformat(),
            "valid_to": code.valid_to.isoformat() if code.valid_to else None,
        },
    )


def _admin_guard(kwargs: dict[str, Any]) -> None:
    require_code_list_admin(kwargs["actor"])


@service(_admin_guard)
def code_retire(*, actor: Any, code: Code, valid_to: dt.date) -> Code:
    """Set the last day a code is valid. The code stays in the database for ever.

    ``valid_to`` may be changed again later (e.g. a mistaken date), but never before
    ``valid_from``. Codes used in past records keep their meaning: reports over earlier periods
    still show them.
    """
    if not isinstance(valid_to, dt.date):
        raise ValidationError({"valid_to": _("Ange ett datum för Giltig till.")})
    errors = _validate_period(code.valid_from, valid_to)
    errors.raise_if_any()
    locked = Code.objects.select_for_update().get(pk=code.pk)
    previous = locked.valid_to
    locked.valid_to = valid_to
    locked.save(update_fields=["valid_to"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        object_type=OBJECT_TYPE,
        details={
            "list": locked.list,
            "key": locked.key,
            "change": "retire",
            "valid_to": {
                "from": previous.isoformat() if previous else None,
                "to": valid_to.isoformat(),
            },
        },
    )
    code.valid_to = valid_to
    return locked


@service(_admin_guard)
def code_set_sort_order(*, actor: Any, code: Code, sort_order: int) -> Code:
    """Change where a code is listed. Label and key are never changed (see module docstring)."""
    error = _validate_sort_order(sort_order)
    if error:
        raise ValidationError({"sort_order": error})
    locked = Code.objects.select_for_update().get(pk=code.pk)
    previous = locked.sort_order
    locked.sort_order = sort_order
    locked.save(update_fields=["sort_order"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        object_type=OBJECT_TYPE,
        details={
            "list": locked.list,
            "key": locked.key,
            "change": "sort_order",
            "sort_order": {"from": previous, "to": sort_order},
        },
    )
    code.sort_order = sort_order
    return locked

"""Reads of reference data. Code lists are national, not tenant data: no user is needed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from stegvis.reference.codelists_seed import PRECISE_ORIENTATION_PREFIXES
from stegvis.reference.models import Code, CodeList


def today() -> dt.date:
    return timezone.localdate()


def codes(list: str, on: dt.date | None = None) -> QuerySet[Code]:
    """Codes of ``list`` valid on ``on`` (default today), in their sort order."""
    day = on or today()
    return Code.objects.filter(list=list).valid_on(day).order_by("sort_order", "key")


def code_by_pk(pk: int) -> Code | None:
    return Code.objects.filter(pk=pk).first()


def precise_orientations(orientation: str, on: dt.date | None = None) -> QuerySet[Code]:
    """Precise orientations refining ``orientation`` ("individual" or "structural")."""
    prefix = PRECISE_ORIENTATION_PREFIXES[orientation]
    return codes(CodeList.PRECISE_ORIENTATION, on=on).filter(key__startswith=prefix)


@dataclass(frozen=True)
class CodeListOverview:
    list: str
    label: str
    codes: list[Code]  # every code, retired ones included
    valid_count: int


def code_lists_overview(on: dt.date | None = None) -> list[CodeListOverview]:
    """Every code list with all its codes (valid and retired), for the code list pages."""
    day = on or today()
    by_list: dict[str, list[Code]] = {value: [] for value in CodeList.values}
    for code in Code.objects.order_by("list", "sort_order", "key"):
        by_list.setdefault(code.list, []).append(code)
    result = []
    for value, label in CodeList.choices:
        items = by_list[value]
        result.append(
            CodeListOverview(
                list=value,
                label=str(label),
                codes=items,
                valid_count=sum(1 for c in items if is_valid_on(c, day)),
            )
        )
    return result


def is_valid_on(code: Code, day: dt.date) -> bool:
    return code.valid_from <= day and (code.valid_to is None or code.valid_to >= day)

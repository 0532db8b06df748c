"""Django form validators for the shared input rules (this module uses Django; the rules in
``dates`` and ``freetext`` do not)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from stegvis.lib import dates, freetext


def no_personnummer(label: Any) -> Callable[[str], None]:
    """Refuse text that holds a valid personnummer (other numbers are fine)."""

    def validate(value: str) -> None:
        problem = freetext.text_problem(str(label), value, today=timezone.localdate())
        if problem:
            raise ValidationError(problem, code="personnummer_in_text")

    return validate


def plausible_date(label: Any) -> Callable[[dt.date], None]:
    """Refuse a date before 2004-01-01 or more than a year ahead."""

    def validate(value: dt.date) -> None:
        problem = dates.date_problem(str(label), value, today=timezone.localdate())
        if problem:
            raise ValidationError(problem, code="implausible_date")

    return validate


def plausible_year(label: Any) -> Callable[[int], None]:
    """Refuse a year before 2004 or after next year."""

    def validate(value: int) -> None:
        problem = dates.year_problem(str(label), value, today=timezone.localdate())
        if problem:
            raise ValidationError(problem, code="implausible_year")

    return validate

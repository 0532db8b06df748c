"""Service validation: collect messages per field, then raise one ``ValidationError``.

Uses Django (``ValidationError``, gettext). Pure rules return ``stegvis.lib.problems.Problem``;
services collect those and their own checks in one ``Errors`` and call ``raise_if_any()`` before
writing anything, so the user sees every problem at once::

    errors = Errors()
    errors.extend(domain.date_problems(start, end, today=today))
    if not name:
        errors.add("name", "Namn: ange ett namn.")
    errors.raise_if_any()

A message is kept once per field (the same rule reached twice is shown once). Messages of the
whole form go under ``NON_FIELD`` (Django's ``__all__``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext

from stegvis.lib.problems import Problem

NON_FIELD = NON_FIELD_ERRORS

__all__ = ["NON_FIELD", "Errors", "Problem", "raise_problems"]


class Errors:
    """Swedish messages per field, raised together as one ``ValidationError``."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str | None, message: str) -> Self:
        messages = self.by_field.setdefault(field or NON_FIELD, [])
        if message not in messages:
            messages.append(message)
        return self

    def add_all(self, field: str | None, messages: Iterable[str]) -> Self:
        for message in messages:
            self.add(field, message)
        return self

    def extend(self, problems: Iterable[Problem], default_field: str | None = None) -> Self:
        """Add pure-rule problems: each message is translated, then its parameters filled in."""
        for p in problems:
            text = gettext(p.message)
            if p.params:
                text = text % dict(p.params)
            self.add(p.field or default_field, text)
        return self

    def merge(self, other: Errors) -> Self:
        """Add every message another collector holds (a helper's checks into the caller's)."""
        for field, messages in other.by_field.items():
            self.add_all(field, messages)
        return self

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(
                {f: [ValidationError(m) for m in ms] for f, ms in self.by_field.items()}
            )


def raise_problems(problems: Iterable[Problem]) -> None:
    """Raise one ``ValidationError`` keyed by field if there are any ``problems``."""
    Errors().extend(problems).raise_if_any()

"""A service's ``ValidationError`` on a Django form: each message on its field, others on top.

Uses Django. The services validate (``stegvis.lib.errors``) and raise one ``ValidationError``
keyed by the service's argument names; a form shows each message on the field of the same name
(or the one ``field_map`` names) and everything else in the error summary at the top.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

FieldMap = Mapping[str, str | None]


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, field_map: FieldMap | None = None
) -> None:
    """Put ``error``'s messages on ``form``: ``field_map`` maps a service argument to a field
    (``None``: the top of the form); an argument without a form field goes to the top."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    field_map = field_map or {}
    for name, messages in error.message_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)


class ServiceErrorsMixin:
    """``form.add_service_errors(error)``; ``service_field_map`` is the form's own mapping."""

    service_field_map: ClassVar[FieldMap] = {}

    def add_service_errors(self, error: ValidationError, field_map: FieldMap | None = None) -> None:
        form: Any = self
        add_service_errors(form, error, {**self.service_field_map, **(field_map or {})})

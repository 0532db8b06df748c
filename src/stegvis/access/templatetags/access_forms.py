"""Accessible form rendering: a field with label, hint and errors tied by aria-describedby."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.inclusion_tag("access/includes/field.html")
def form_field(field: BoundField, autocomplete: str = "") -> dict[str, Any]:
    """Render ``field`` with its label, hint and errors (all linked for screen readers)."""
    described = []
    hint_id = f"{field.auto_id}_hint"
    error_id = f"{field.auto_id}_error"
    if field.help_text:
        described.append(hint_id)
    if field.errors:
        described.append(error_id)
    attrs: dict[str, str] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "hint_id": hint_id,
        "error_id": error_id,
        "is_checkbox": field.widget_type == "checkbox",
    }


@register.inclusion_tag("access/includes/error_summary.html")
def error_summary(form: Any) -> dict[str, Any]:
    """The summary of a form's errors, each linking to its field."""
    field_errors = []
    if form is not None and form.errors:
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            bound = form[name]
            if bound.is_hidden:
                continue
            for error in errors:
                field_errors.append({"id": bound.auto_id, "message": error})
    hidden_errors = []
    if form is not None and form.errors:
        for name, errors in form.errors.items():
            if name in form.fields and form[name].is_hidden:
                hidden_errors.extend(errors)
    return {
        "form": form,
        "non_field_errors": (list(form.non_field_errors()) + hidden_errors) if form else [],
        "field_errors": field_errors,
    }

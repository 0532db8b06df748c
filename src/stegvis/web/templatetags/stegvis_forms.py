"""Template tags of the one form layer (see ``stegvis.web.forms``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASS = {
    "select": "select-field__select",
    "nullbooleanselect": "select-field__select",
    "textarea": "textarea-field__textarea",
}
# Drawn as the browser's own control (with stegvis.css): FKUI's need markup of their own.
_NO_INPUT_CLASS = {
    "checkbox", "checkboxselectmultiple", "radioselect", "selectmultiple", "clearablefile", "file",
}


def is_mandatory(field: BoundField) -> bool:
    """Required by the form, or by the service behind it (``field.mandatory``, see participants)."""
    return bool(field.field.required or getattr(field.field, "mandatory", False))


@register.filter
def field_kind(field: BoundField) -> str:
    """Which FKUI component a field is drawn as: text, select, textarea, checkbox or group."""
    widget_type = field.widget_type
    if field.use_fieldset or widget_type in ("checkboxselectmultiple", "radioselect"):
        return "group"
    if widget_type == "checkbox":
        return "checkbox"
    if widget_type in ("select", "nullbooleanselect"):
        return "select"
    if widget_type == "textarea":
        return "textarea"
    return "text"


@register.filter
def optional(field: BoundField) -> bool:
    """Whether the label says "(frivilligt)": the one way optional fields are marked.

    A single check box is never marked: leaving it unticked is always an answer. Nor is any
    field of a form where every field is optional (a filter): there is nothing to tell apart.
    """
    if is_mandatory(field) or field.widget_type == "checkbox":
        return False
    return any(is_mandatory(other) for other in field.form)


@register.filter
def fkui_widget(field: BoundField) -> SafeString:
    """The widget with FKUI's class for its kind, ``aria-describedby`` naming the hint and error
    shown by ``field.html`` and ``aria-invalid`` when the field has an error.

    A group of options (a fieldset) is described on its fieldset, not on each option.
    """
    widget_type = field.widget_type
    attrs: dict[str, Any] = {"aria-describedby": False, "aria-invalid": False}
    if field_kind(field) != "group":
        if described := described_by(field):
            attrs["aria-describedby"] = described
        if field.errors:
            attrs["aria-invalid"] = "true"
    if widget_type not in _NO_INPUT_CLASS:
        css = _INPUT_CLASS.get(widget_type, "text-field__input")
        own = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{own} {css}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def described_by(field: BoundField) -> str:
    """The ids of the hint and the error ``field.html`` shows for ``field``."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


def anchor(field: BoundField) -> str:
    """The id an error summary links to: the field, or the element holding a group's options
    (the page's script then focuses the first option)."""
    if field_kind(field) == "group":
        return field.auto_id
    return field.id_for_label or field.auto_id


@dataclass(frozen=True)
class SummaryItem:
    message: str
    href: str  # "" when the error belongs to no field on the page


def summary_items(form: forms.BaseForm) -> list[SummaryItem]:
    """The form's errors in the order of the form: errors of the whole form first."""
    items = [SummaryItem(str(message), "") for message in form.non_field_errors()]
    for field in form.hidden_fields():
        items.extend(SummaryItem(str(message), "") for message in field.errors)
    for field in form.visible_fields():
        label = str(field.label or "")
        for message in field.errors:
            text = str(message)
            if label and not text.startswith(f"{label}:"):
                text = f"{label}: {text}"
            items.append(SummaryItem(text, f"#{anchor(field)}"))
    return items


@register.inclusion_tag("stegvis/forms/error_summary.html")
def error_summary(
    form: forms.BaseForm | None, links: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """The error summary at the top of a form: each error links to its field.

    ``links`` ((href, message) pairs) replaces the computed list for a form that places some
    errors on a group of its own (the participants' activity table).
    """
    if links is not None:
        items = [SummaryItem(message, href) for href, message in links]
    else:
        items = summary_items(form) if form is not None and form.errors else []
    return {"items": items}


@register.simple_tag
def form_field(field: BoundField, autocomplete: str = "") -> SafeString:
    """``{{ field.as_field_group }}``, with an ``autocomplete`` token when one is given."""
    if autocomplete:
        field.field.widget.attrs["autocomplete"] = autocomplete
    return field.as_field_group()

"""Template helpers for participant pages and the start page's follow-up counts."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from stegvis.access.roles import Role
from stegvis.participants import selectors

register = template.Library()


@register.filter
def described(field: BoundField) -> SafeString:
    """The widget with ``aria-describedby`` pointing at its hint and error, if any."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs: dict[str, Any] = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("participants/_start_links.html", takes_context=True)
def participant_start_links(context: dict[str, Any], entry: Any) -> dict[str, Any]:
    """Links and follow-up counts for a deltagaransvarig on the start page."""
    user = context["request"].user
    show = entry.association is not None and Role.PARTICIPANT_OFFICER in entry.role_keys
    return {
        "show": show,
        "counts": selectors.followup_counts(user=user, association_id=entry.association.pk)
        if show else None,
        "association": entry.association,
        "questions": entry.association is not None
        and Role.ASSOCIATION_ADMIN in entry.role_keys,
    }

"""Template helpers for participant pages and the start page's follow-up counts."""

from __future__ import annotations

from typing import Any

from django import template

from stegvis.access.roles import Role
from stegvis.participants import selectors

register = template.Library()


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

"""Template helpers for participant pages and the start page's links (their follow-up counts
come from ``followup_tags``: followup sits above participants)."""

from __future__ import annotations

from typing import Any

from django import template

from stegvis.access.roles import Role

register = template.Library()


@register.inclusion_tag("participants/_start_links.html", takes_context=True)
def participant_start_links(context: dict[str, Any], entry: Any) -> dict[str, Any]:
    """Links for a deltagaransvarig on the start page."""
    user = context["request"].user
    show = entry.association is not None and Role.PARTICIPANT_OFFICER in entry.role_keys
    return {
        "show": show,
        "user": user,
        "association": entry.association,
        "questions": entry.association is not None
        and Role.ASSOCIATION_ADMIN in entry.role_keys,
    }

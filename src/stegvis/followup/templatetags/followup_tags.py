"""Follow-up state on pages of lower apps (the participant pages sit below followup)."""

from __future__ import annotations

from typing import Any

from django import template

from stegvis.followup import selectors

register = template.Library()


@register.simple_tag
def follow_up_counts(user: Any, association_id: int | None = None) -> dict[str, int]:
    """``user``'s follow-ups to do, as on the worklist (in one förbund if given):
    ``{% follow_up_counts user as counts %}``."""
    return selectors.followup_counts(user=user, association_id=association_id)

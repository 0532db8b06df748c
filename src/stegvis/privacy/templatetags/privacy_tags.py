"""The correction history and the legal-hold link on the participant page."""

from __future__ import annotations

from typing import Any

from django import template

from stegvis.participants.models import Participation
from stegvis.privacy import selectors, services

register = template.Library()


@register.inclusion_tag("privacy/_correction_history.html", takes_context=True)
def correction_history(context: dict[str, Any], participation: Participation) -> dict[str, Any]:
    """For a participation the page already read through the participants' scoped selector."""
    user = context["request"].user
    return {
        "participation": participation,
        "corrections": selectors.correction_history(participation=participation),
        "erased_at": selectors.erased_at(participation=participation),
        "may_hold": participation.person_id is not None
        and services.may_manage_holds(user, participation),
    }

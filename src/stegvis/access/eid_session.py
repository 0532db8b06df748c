"""What an e-legitimation sign-in leaves in the session: whether it counts as two factors.

Written by `stegvis.eid` at sign-in, read by the two-factor middleware here (access sits below
eid, docs/adr/0014-layers.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

SESSION_KEY = "stegvis_eid"


def mark_signed_in(request: HttpRequest, *, user: Any, provider: str, strong: bool) -> None:
    """Remember that ``user`` signed in through ``provider``, at LoA3 or above if ``strong``."""
    request.session[SESSION_KEY] = {"user": user.pk, "provider": provider, "strong": strong}


def satisfies_two_factor(request: HttpRequest) -> bool:
    """True when the signed-in user of ``request`` used an e-legitimation at LoA3 or above."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    mark = request.session.get(SESSION_KEY) or {}
    return bool(mark.get("strong")) and mark.get("user") == user.pk


def signed_in_with_eid(request: HttpRequest) -> bool:
    """True when the signed-in user of ``request`` signed in with an e-legitimation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return (request.session.get(SESSION_KEY) or {}).get("user") == user.pk


def strong_for(request: HttpRequest, user: Any) -> bool:
    """During sign-in (before ``request.user`` is set): did ``user`` just use LoA3 or above?"""
    mark = request.session.get(SESSION_KEY) or {}
    return bool(mark.get("strong")) and mark.get("user") == user.pk

"""What the apps above participants add to its services and pages, registered at start-up.

participants sits below followup and registry (ADR 0014) and never imports them. Where a
participant service or page needs them — follow-up state on the pages and in the measurement
rules, erasing follow-up and register data when consent is withdrawn or a participation is a
felregistrering — it calls through this module, which those apps fill in their
``AppConfig.ready()``. The calls are explicit and run in the caller's transaction: no signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

# Why a participation's data is erased (the ``why`` of :func:`erase`).
WITHDRAWAL = "consent_withdrawn"
ERROR = "error"


class Eraser(Protocol):
    def __call__(self, *, participation: Any) -> object: ...


class FollowUp(Protocol):
    """The follow-up reads the participant services, pages and API use (``stegvis.followup``
    registers its selectors)."""

    def schedule_for(self, association_id: int) -> tuple[str, ...]: ...

    def closure_exists(self, participation: Any, occasion: str) -> bool: ...

    def registrable_occasions(self, *, participation: Any, today: dt.date) -> list[str]: ...

    def followup_worklist(self, *, user: Any, sort: str = "due") -> list[Any]: ...


_erasers: list[tuple[Eraser, frozenset[str]]] = []
_follow_up: list[FollowUp] = []


def register_eraser(eraser: Eraser, *, on: Iterable[str]) -> None:
    """Have ``eraser(participation=…)`` called for the reasons ``on`` (WITHDRAWAL, ERROR).
    Registering the same eraser again replaces it (``ready()`` may run more than once)."""
    _erasers[:] = [(e, w) for e, w in _erasers if e is not eraser]
    _erasers.append((eraser, frozenset(on)))


def erase(*, participation: Any, why: str) -> None:
    """Run every eraser registered for ``why``, in order of registration (the caller's
    transaction)."""
    for eraser, reasons in _erasers:
        if why in reasons:
            eraser(participation=participation)


def register_follow_up(provider: FollowUp) -> None:
    _follow_up[:] = [provider]


def follow_up() -> FollowUp:
    """The follow-up reads; ``stegvis.followup`` registers them at start-up."""
    if not _follow_up:
        raise ImproperlyConfigured("stegvis.followup is not installed: no follow-up reads.")
    return _follow_up[0]


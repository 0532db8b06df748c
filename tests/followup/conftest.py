"""Ended participations with follow-up consent, in förbund A's insats (officer_a assigned)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from stegvis.participants import services
from stegvis.participants.models import Participation
from tests.participants.conftest import (  # noqa: F401  (fixtures)
    consent,
    end_measurement,
    insats,
    insats_b,
    make_pnr,
    start_measurement,
)

_serial = itertools.count(50)


def _next_pnr() -> str:
    """A new personnummer per call (serials 50–99, then the next birth day)."""
    n = next(_serial) - 50
    return make_pnr(dt.date(1988, 3, 9) + dt.timedelta(days=n // 50), serial=50 + n % 50)


def ended(
    personas: Any, intervention: Any, *, days_ago: int, follow_up: bool = True,
    officer: Any = None,
) -> Participation:
    """A participant who started a year before and ended ``days_ago`` days ago."""
    today = timezone.localdate()
    end = today - dt.timedelta(days=days_ago)
    start = end - dt.timedelta(days=365)
    actor = officer or personas.officer_a
    p = services.participation_start(
        actor=actor, intervention=intervention,
        personnummer=_next_pnr(),
        consent=consent(start, follow_up=follow_up), protected_identity=False,
        referred_by="kommun", start_date=start, residence="0136",
        measurement=start_measurement(date=start),
    )
    return services.participation_end(
        actor=actor, participation=p, end_date=end, exit_reason="arbete",
        measurement=end_measurement(),
    )


@pytest.fixture
def ended_factory(personas, insats):  # noqa: F811
    def make(days_ago: int, **kwargs: Any) -> Participation:
        return ended(personas, insats, days_ago=days_ago, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

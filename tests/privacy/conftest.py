"""Fixtures for gallring, backups and data-subject rights: an insats in A with participants."""

from __future__ import annotations

import datetime as dt

import pytest

from stegvis.interventions.models import Intervention
from stegvis.participants import services
from stegvis.participants.models import Participation
from tests import factories
from tests.participants.conftest import (
    consent,
    end_measurement,
    make_pnr,
    start_measurement,
)


@pytest.fixture
def insats(personas) -> Intervention:
    """An identified insats in A with officer_a assigned (two-factor set up)."""
    intervention = factories.InterventionFactory(
        association=personas.a, assigned=[personas.officer_a]
    )
    for user in (personas.officer_a, personas.officer_b):
        factories.totp(user)
    return intervention


@pytest.fixture
def insats_b(personas) -> Intervention:
    return factories.InterventionFactory(
        association=personas.b, name="Beta-insatsen", assigned=[personas.officer_b]
    )


def register(
    officer, intervention: Intervention, number: str, start: dt.date, end: dt.date | None = None
) -> Participation:
    """Register (and end, if ``end``) a participation through the services."""
    p = services.participation_start(
        actor=officer,
        intervention=intervention,
        personnummer=number,
        consent=consent(start),
        protected_identity=False,
        referred_by="forsakringskassan",
        start_date=start,
        residence="0180",
        measurement=start_measurement(),
    )
    if end is not None:
        p = services.participation_end(
            actor=officer, participation=p, end_date=end, exit_reason="arbete",
            measurement=end_measurement(),
        )
    return p


@pytest.fixture
def people() -> dict[str, str]:
    return {
        "old": make_pnr(dt.date(1980, 5, 17), serial=11),
        "recent": make_pnr(dt.date(1990, 3, 2), woman=False, serial=12),
        "held": make_pnr(dt.date(1985, 11, 23), serial=13),
    }

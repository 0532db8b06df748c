"""Fixtures for participants: an identified insats in förbund A with officer_a assigned."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from stegvis.interventions.models import Intervention
from stegvis.lib import personnummer as pnr
from stegvis.participants.services import ConsentInput, MeasurementInput
from tests import factories

_serial = itertools.count(10)


def make_pnr(
    birth: dt.date, *, woman: bool = True, twelve: bool = True, serial: int | None = None
) -> str:
    """A valid personnummer for ``birth`` (the sex digit even for women)."""
    n = serial if serial is not None else next(_serial) % 100
    sex_digit = 2 if woman else 3
    body = f"{birth:%y%m%d}{n:02d}{sex_digit}"
    check = pnr.check_digit(body)
    ten = f"{birth:%y%m%d}-{n:02d}{sex_digit}{check}"
    return f"{birth.year // 100}{ten}" if twelve else ten


def start_measurement(**overrides: Any) -> MeasurementInput:
    values: dict[str, Any] = {
        "income_sources": ["sjukpenning"],
        "activities": [("annan_insats", 50)],
        "education_level": "gymnasial",
        "public_support_duration": "1_2_ar",
        "step": "steg_1",
        "rating_work": 4,
    }
    values.update(overrides)
    return MeasurementInput(**values)


def end_measurement(**overrides: Any) -> MeasurementInput:
    values: dict[str, Any] = {
        "income_sources": ["lon_eget_foretag"],
        "activities": [("arbete_osubventionerat", 100)],
        "education_level": "gymnasial",
        "step": "steg_6",
    }
    values.update(overrides)
    return MeasurementInput(**values)


def consent(day: dt.date, *, follow_up: bool = True) -> ConsentInput:
    return ConsentInput(date=day, form_version="2024:1", scope_follow_up=follow_up)


def make_intervention(association, **overrides: Any) -> Intervention:
    """An identified, individual insats (see tests.factories.InterventionFactory)."""
    return factories.InterventionFactory(association=association, **overrides)


@pytest.fixture
def insats(personas) -> Intervention:
    """An identified, individual insats in A with officer_a assigned (and two-factor set up)."""
    intervention = factories.InterventionFactory(
        association=personas.a, assigned=[personas.officer_a]
    )
    for user in (personas.officer_a, personas.officer_b):
        factories.totp(user)
    return intervention


@pytest.fixture
def insats_b(personas) -> Intervention:
    """An insats in B with officer_b assigned."""
    return factories.InterventionFactory(
        association=personas.b, name="Beta-insatsen", assigned=[personas.officer_b]
    )

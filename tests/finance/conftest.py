"""Fixtures for money: förbund A with a funding key, insatser with budgets, model data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from stegvis.associations.models import FundingShare, Organisation, PartyKind
from tests import factories

YEAR = 2024


def orgs(association) -> dict[str, list[Organisation]]:
    result: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(memberships__association=association).order_by(
        "name"
    ):
        result.setdefault(org.kind, []).append(org)
    return result


@pytest.fixture
def key_a(personas):
    """A's kommuner: Stockholm 80 %, Haninge 20 %."""
    members = orgs(personas.a)
    by_code = {o.municipality_id: o for o in members[PartyKind.KOMMUN]}
    FundingShare.objects.create(association=personas.a, organisation=by_code["0180"],
                                share_pct=Decimal("80"))
    FundingShare.objects.create(association=personas.a, organisation=by_code["0136"],
                                share_pct=Decimal("20"))
    return members


def intervention(association, name: str, budget: int, actual: int | None, year: int = YEAR):
    """An insats organised by the förbund's first kommun, with one year's budget line."""
    organiser = orgs(association)[PartyKind.KOMMUN][0]
    line = factories.BudgetLineFactory(
        intervention_year__intervention__association=association,
        intervention_year__intervention__name=name,
        intervention_year__intervention__organiser=organiser,
        intervention_year__intervention__start_date=dt.date(year, 1, 1),
        intervention_year__intervention__parties=[],
        intervention_year__year=year,
        budget=budget,
        actual=actual,
    )
    return line.intervention_year.intervention


@pytest.fixture
def insatser_a(personas):
    return [
        intervention(personas.a, "Steget vidare", 600_000, 550_000),
        intervention(personas.a, "=Unga i arbete", 400_000, 420_000),
    ]

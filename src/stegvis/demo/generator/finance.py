"""The demo's money: a förbund's finance years and budgets, and the state allocation model.
"""

from __future__ import annotations

import datetime as dt
import random

from stegvis.associations.models import Association
from stegvis.demo.generator.plans import Scale
from stegvis.finance import services as finance_services
from stegvis.finance.models import DecidedAllocation


def add_finance(scale: Scale, association: Association, admin: object) -> None:
    """Finance years with an adopted budget, members' contributions and, for years that
    have begun and ended, outcomes; the current year's contributions are partly paid."""
    rng = random.Random(f"{scale.seed}:finance:{association.pk}")
    today = dt.date.today()
    for year in range(scale.first_year, today.year + 1):
        frame = 4_000_000 + 250_000 * (year - scale.first_year) + rng.randint(0, 20) * 10_000
        fy = finance_services.finance_year_set(
            actor=admin, association=association, year=year, frame=frame,
            opening_equity=rng.randint(5, 15) * 100_000, other_income=rng.randint(0, 5) * 10_000,
        )
        budget = finance_services.budget_draft_create(actor=admin, finance_year=fy)
        board, administration, audit = 150_000, 600_000, 60_000
        finance_services.budget_update(
            actor=admin, budget=budget, board=board, administration=administration, audit=audit,
        )
        finance_services.budget_adopt(
            actor=admin, budget=budget, decided_on=min(dt.date(year - 1, 12, 10), today),
        )
        for index, contribution in enumerate(fy.contributions.select_related("organisation")):
            if year < today.year or index % 2 == 0:
                finance_services.contribution_payment_set(
                    actor=admin, finance_year=fy, organisation=contribution.organisation,
                    paid_on=min(dt.date(year, 3, 1) + dt.timedelta(days=7 * index), today),
                )
        if year < today.year:
            finance_services.actual_costs_set(
                actor=admin, finance_year=fy,
                board=round(board * rng.uniform(0.8, 1.05)),
                administration=round(administration * rng.uniform(0.9, 1.05)),
                audit=audit,
            )


def add_state_allocation(actor: object) -> None:
    """Parameters and a decided state allocation for the current year for the demo förbund."""
    year = dt.date.today().year
    if DecidedAllocation.objects.filter(allocation_year=year).exists():
        return
    demo = list(Association.objects.filter(is_demo=True).order_by("name"))
    if not demo:
        return
    finance_services.parameters_create(
        actor=actor, allocation_year=year, state_total=f"{3_000_000 * len(demo)}",
        base_amount="400 000", key_support_pct="75", key_population_pct="25", age_to="64",
        max_reduction_pct="10",
        equity_scale=[(0, "30"), ("5 000 000", "20"), ("10 000 000", "15")],
        note="Demo",
    )
    finance_services.allocation_decide(
        actor=actor, allocation_year=year,
        amounts={a.pk: 2_000_000 + 250_000 * i for i, a in enumerate(demo)},
        decided_on=dt.date(year, 1, 1),
    )

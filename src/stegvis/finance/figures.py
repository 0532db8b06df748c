"""Computed figures of a förbund's year and of the state model, read from the database.

Internal helpers without access checks: selectors (after asking the scoping module) and services
(after their permission check) call them. Views never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.finance import allocation as am
from stegvis.finance import money
from stegvis.finance.models import (
    AdvanceNotice,
    AllocationInput,
    AllocationParameters,
    Budget,
    BudgetStatus,
    DecidedAllocation,
    FinanceYear,
    MemberContribution,
)
from stegvis.interventions.models import BudgetLine


@dataclass
class InterventionFigures:
    intervention_id: int
    name: str
    budget: int  # live sum of the insats's budget lines
    adopted_budget: int | None  # as frozen in the adopted budget version
    actual: int | None

    @property
    def difference(self) -> int | None:
        return None if self.actual is None else self.actual - self.budget


@dataclass
class Post:
    key: str
    label: str
    budget: int
    actual: int | None

    @property
    def difference(self) -> int | None:
        return None if self.actual is None else self.actual - self.budget


@dataclass
class YearFigures:
    finance_year: FinanceYear
    contributions: list[MemberContribution]
    budget: Budget | None  # the current version: adopted if any, else the draft
    draft: Budget | None
    versions: list[Budget]
    interventions: list[InterventionFigures]
    posts: list[Post]
    contributions_total: int
    other_income: int
    opening_equity: int
    costs: int
    costs_complete: bool
    closing_equity: int
    available: int
    utilisation_pct: Decimal | None
    equity_share_pct: Decimal | None
    equity_limit_pct: Decimal | None
    scale_parameters: AllocationParameters | None

    @property
    def within_scale(self) -> bool:
        return money.within_scale(self.equity_share_pct, self.equity_limit_pct)

    @property
    def budget_total(self) -> int:
        return sum(p.budget for p in self.posts)


def _int(value: Any) -> int:
    return int(value or 0)


def intervention_figures(association: Association, year: int,
                         adopted: Budget | None) -> list[InterventionFigures]:
    lines = (
        BudgetLine.objects.filter(
            intervention_year__intervention__association=association,
            intervention_year__year=year,
        )
        .select_related("intervention_year__intervention")
        .order_by("intervention_year__intervention__name", "intervention_year__intervention_id")
    )
    frozen = (
        {line.intervention_id: int(line.amount) for line in adopted.intervention_lines.all()}
        if adopted is not None
        else {}
    )
    by_id: dict[int, InterventionFigures] = {}
    for line in lines:
        intervention = line.intervention_year.intervention
        row = by_id.setdefault(
            intervention.pk,
            InterventionFigures(intervention.pk, intervention.name, 0, frozen.get(intervention.pk),
                                None),
        )
        row.budget += int(line.budget)
        if line.actual is not None:
            row.actual = (row.actual or 0) + int(line.actual)
    for intervention_id, amount in frozen.items():
        if intervention_id not in by_id:
            line = adopted.intervention_lines.get(intervention_id=intervention_id)  # type: ignore[union-attr]
            by_id[intervention_id] = InterventionFigures(intervention_id, line.name, 0, amount,
                                                         None)
    return sorted(by_id.values(), key=lambda r: (r.name, r.intervention_id))


def scale_for(year: int) -> AllocationParameters | None:
    """The parameters whose equity scale judges a year's equity: the allocation year after it
    (or the latest earlier one), newest version."""
    return (
        AllocationParameters.objects.filter(allocation_year__lte=year + 1)
        .prefetch_related("equity_scale")
        .order_by("-allocation_year", "-version")
        .first()
    )


def scale_steps(parameters: AllocationParameters | None) -> tuple[tuple[int, Decimal], ...]:
    if parameters is None:
        return ()
    return tuple((int(s.from_size), s.max_equity_pct) for s in parameters.equity_scale.all())


def year_figures(finance_year: FinanceYear) -> YearFigures:
    contributions = list(
        finance_year.contributions.select_related("organisation").order_by("sort_order")
    )
    versions = list(finance_year.budgets.prefetch_related("intervention_lines"))
    adopted = next((b for b in versions if b.status == BudgetStatus.ADOPTED), None)
    draft = next((b for b in versions if b.status == BudgetStatus.DRAFT), None)
    current = adopted or draft
    interventions = intervention_figures(finance_year.association, finance_year.year, adopted)
    insats_budget = (
        int(adopted.interventions_total or 0)
        if adopted is not None
        else sum(r.budget for r in interventions)
    )
    insats_actuals = [r.actual for r in interventions]
    insats_actual = sum(a for a in insats_actuals if a is not None) if interventions else 0
    posts = [
        Post("board", _("Styrelse"), _int(current.board if current else 0),
             None if finance_year.actual_board is None else int(finance_year.actual_board)),
        Post("administration", _("Administration"), _int(current.administration if current else 0),
             None if finance_year.actual_administration is None
             else int(finance_year.actual_administration)),
        Post("audit", _("Revision"), _int(current.audit if current else 0),
             None if finance_year.actual_audit is None else int(finance_year.actual_audit)),
        Post("interventions", _("Insatser"), insats_budget,
             insats_actual if any(a is not None for a in insats_actuals) else None),
    ]
    costs = sum(p.actual or 0 for p in posts)
    complete = all(p.actual is not None for p in posts[:3]) and all(
        a is not None for a in insats_actuals
    )
    contributions_total = sum(int(c.amount) for c in contributions)
    other = int(finance_year.other_income)
    opening = int(finance_year.opening_equity)
    closing = money.closing_equity(
        opening=opening, contributions=contributions_total, other_income=other, costs=costs
    )
    available = opening + contributions_total + other
    parameters = scale_for(finance_year.year)
    share = money.percent(closing, contributions_total)
    limit = money.equity_limit(scale_steps(parameters), contributions_total)
    return YearFigures(
        finance_year=finance_year,
        contributions=contributions,
        budget=current,
        draft=draft,
        versions=versions,
        interventions=interventions,
        posts=posts,
        contributions_total=contributions_total,
        other_income=other,
        opening_equity=opening,
        costs=costs,
        costs_complete=complete,
        closing_equity=closing,
        available=available,
        utilisation_pct=money.utilisation(costs=costs, available=available),
        equity_share_pct=share,
        equity_limit_pct=limit,
        scale_parameters=parameters,
    )


# --- The state model -----------------------------------------------------------------------


def current_parameters(allocation_year: int) -> AllocationParameters | None:
    return (
        AllocationParameters.objects.filter(allocation_year=allocation_year)
        .prefetch_related("equity_scale")
        .order_by("-version")
        .first()
    )


def to_model_parameters(p: AllocationParameters) -> am.Parameters:
    return am.Parameters(
        state_total=int(p.state_total),
        base_amount=int(p.base_amount),
        key_support_pct=p.key_support_pct,
        key_population_pct=p.key_population_pct,
        max_reduction_pct=p.max_reduction_pct,
        equity_scale=scale_steps(p),
    )


def equity_shares(association_ids: list[int], before_year: int) -> dict[int, Decimal | None]:
    """Each förbund's equity share (closing equity / contributions, %) in its latest finance
    year before ``before_year`` with contributions; None when Stegvis has no such year."""
    latest = (
        FinanceYear.objects.filter(association_id__in=association_ids, year__lt=before_year,
                                   frame__gt=0)
        .values("association_id")
        .annotate(last=Max("year"))
    )
    result: dict[int, Decimal | None] = dict.fromkeys(association_ids)
    wanted = {(r["association_id"], r["last"]) for r in latest}
    if not wanted:
        return result
    years = FinanceYear.objects.filter(
        association_id__in=[a for a, _y in wanted], year__in=[y for _a, y in wanted]
    ).select_related("association")
    for fy in years:
        if (fy.association_id, fy.year) in wanted:
            figures = year_figures(fy)
            result[fy.association_id] = figures.equity_share_pct
    return result


def model_inputs(allocation_year: int) -> list[am.Input]:
    inputs = list(
        AllocationInput.objects.filter(allocation_year=allocation_year)
        .select_related("association")
        .order_by("association__name", "association_id")
    )
    ids = [i.association_id for i in inputs]
    previous = {
        d.association_id: int(d.amount)
        for d in DecidedAllocation.objects.filter(
            allocation_year=allocation_year - 1, association_id__in=ids
        )
    }
    equity = equity_shares(ids, allocation_year)
    return [
        am.Input(
            key=i.association_id,
            name=i.association.name,
            support_measure=i.support_measure,
            population=i.population,
            previous=previous.get(i.association_id),
            equity_share_pct=equity.get(i.association_id),
        )
        for i in inputs
    ]


@dataclass
class Calculation:
    allocation_year: int
    parameters: AllocationParameters | None
    inputs: list[am.Input]
    result: am.Result | None
    problems: list[str]
    notices: dict[int, AdvanceNotice]
    decided: dict[int, DecidedAllocation]


def calculation(allocation_year: int, parameters: AllocationParameters | None = None,
                model_parameters: am.Parameters | None = None,
                inputs: list[am.Input] | None = None) -> Calculation:
    parameters = parameters or current_parameters(allocation_year)
    inputs = model_inputs(allocation_year) if inputs is None else inputs
    problems: list[str] = []
    result = None
    if parameters is None and model_parameters is None:
        problems.append(
            _("Det finns inga parametrar för fördelningsåret %(year)s.") % {"year": allocation_year}
        )
    elif not inputs:
        problems.append(
            _("Det finns inga indata för fördelningsåret %(year)s.") % {"year": allocation_year}
        )
    else:
        try:
            result = am.calculate(model_parameters or to_model_parameters(parameters), inputs)
        except am.AllocationError as error:
            problems.extend(error.messages)
    notices = {
        n.association_id: n
        for n in AdvanceNotice.objects.filter(allocation_year=allocation_year)
    }
    decided = {
        d.association_id: d
        for d in DecidedAllocation.objects.filter(allocation_year=allocation_year)
    }
    return Calculation(allocation_year, parameters, inputs, result, problems, notices, decided)

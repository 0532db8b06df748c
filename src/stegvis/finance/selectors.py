"""Reads of money. Every function takes the acting user and asks the scoping module.

A förbund's money is for users with MANAGE_ASSOCIATION there (404 for a förbund the user has no
role in, 403 for a role without it). The national model is for systemadministratörer (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.associations.models import AreaPart, Association, Organisation
from stegvis.finance import allocation as am
from stegvis.finance import figures
from stegvis.finance.models import (
    AdvanceNotice,
    AllocationInput,
    AllocationKommunInput,
    AllocationParameters,
    Budget,
    DecidedAllocation,
    FinanceYear,
)
from stegvis.reference.models import Municipality

MANAGE = Capability.MANAGE_ASSOCIATION


def association_for_money(*, user: Any, association_id: int) -> Association:
    return scope.get_association(user, association_id, MANAGE)


def money_associations(*, user: Any) -> QuerySet[Association]:
    return scope.associations(user, MANAGE).order_by("name")


def finance_years(*, user: Any, association: Association) -> QuerySet[FinanceYear]:
    scope.require(user, MANAGE, association)
    return FinanceYear.objects.filter(association=association).order_by("-year")


def finance_year_get(*, user: Any, association_id: int, year: int) -> FinanceYear:
    association = association_for_money(user=user, association_id=association_id)
    fy = (
        FinanceYear.objects.select_related("association")
        .filter(association=association, year=year)
        .first()
    )
    if fy is None:
        raise Http404
    return fy


def year_figures(*, user: Any, finance_year: FinanceYear) -> figures.YearFigures:
    scope.require(user, MANAGE, finance_year.association)
    return figures.year_figures(finance_year)


def budget_get(*, user: Any, finance_year: FinanceYear, version: int) -> Budget:
    scope.require(user, MANAGE, finance_year.association)
    budget = finance_year.budgets.filter(version=version).first()
    if budget is None:
        raise Http404
    return budget


def contribution_organisation(*, user: Any, finance_year: FinanceYear,
                              organisation_id: int) -> Organisation:
    """An organisation named in a payment form (any organisation: the service refuses
    non-members with a message)."""
    scope.require(user, MANAGE, finance_year.association)
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        raise Http404
    return org


def allocation_for_association(*, user: Any, association: Association, year: int
                               ) -> dict[str, Any]:
    """The förbund's own row of the state model for ``year`` (model amount, förhandsbesked,
    decided allocation), as far as they exist."""
    scope.require(user, MANAGE, association)
    calc = figures.calculation(year)
    row = calc.result.by_key().get(association.pk) if calc.result else None
    return {
        "year": year,
        "row": row,
        "notice": calc.notices.get(association.pk),
        "decided": calc.decided.get(association.pk),
    }


# --- National -------------------------------------------------------------------------------


def require_national(user: Any) -> None:
    if not scope.has_role(user, Role.SYSTEM_ADMIN):
        scope.deny(user, MANAGE, None)


def parameters_list(*, user: Any) -> QuerySet[AllocationParameters]:
    require_national(user)
    return AllocationParameters.objects.prefetch_related("equity_scale").order_by(
        "-allocation_year", "-version"
    )


def parameters_current(*, user: Any, allocation_year: int) -> AllocationParameters | None:
    require_national(user)
    return figures.current_parameters(allocation_year)


def allocation_years(*, user: Any) -> list[int]:
    require_national(user)
    years = set(AllocationParameters.objects.values_list("allocation_year", flat=True))
    years |= set(AllocationInput.objects.values_list("allocation_year", flat=True))
    return sorted(years, reverse=True)


def calculation(*, user: Any, allocation_year: int) -> figures.Calculation:
    require_national(user)
    return figures.calculation(allocation_year)


def inputs_for_year(*, user: Any, allocation_year: int) -> QuerySet[AllocationInput]:
    require_national(user)
    return AllocationInput.objects.filter(allocation_year=allocation_year).select_related(
        "association"
    )


def active_associations(*, user: Any) -> QuerySet[Association]:
    require_national(user)
    return Association.objects.order_by("name")


def notices(*, user: Any, allocation_year: int) -> QuerySet[AdvanceNotice]:
    require_national(user)
    return AdvanceNotice.objects.filter(allocation_year=allocation_year).select_related(
        "association"
    )


def decided(*, user: Any, allocation_year: int) -> QuerySet[DecidedAllocation]:
    require_national(user)
    return DecidedAllocation.objects.filter(allocation_year=allocation_year).select_related(
        "association"
    )


def what_if(
    *,
    user: Any,
    allocation_year: int,
    model_parameters: am.Parameters,
    new_name: str = "",
    kommunkoder: Iterable[str] = (),
) -> tuple[figures.Calculation, figures.Calculation, list[am.Comparison], list[str]]:
    """The current result and a re-run with other parameters and/or a new förbund."""
    require_national(user)
    current = figures.calculation(allocation_year)
    inputs = list(current.inputs)
    problems: list[str] = []
    codes = [c.strip() for c in kommunkoder if c.strip()]
    if codes or new_name:
        inputs, problems = _with_new(allocation_year, inputs, name=new_name, codes=codes)
    other = figures.calculation(
        allocation_year, model_parameters=model_parameters, inputs=inputs
    )
    comparison = (
        am.compare(current.result, other.result) if current.result and other.result else []
    )
    return current, other, comparison, problems + other.problems


def _with_new(allocation_year: int, inputs: list[am.Input], *, name: str, codes: list[str]
              ) -> tuple[list[am.Input], list[str]]:
    problems: list[str] = []
    if not codes:
        problems.append(_("Ange minst en kommunkod för det nya förbundet."))
    if len(set(codes)) != len(codes):
        problems.append(_("En kommunkod anges mer än en gång."))
    rows = {
        r.municipality_id: r
        for r in AllocationKommunInput.objects.filter(
            allocation_year=allocation_year, municipality_id__in=codes, association__isnull=True
        )
    }
    known = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
    kommuner: list[am.KommunFigures] = []
    for code in dict.fromkeys(codes):
        if code not in known:
            problems.append(_("Okänd kommunkod ”%(code)s”.") % {"code": code})
        elif code not in rows:
            problems.append(
                _(
                    "Kommun %(code)s har inga importerade uppgifter per hel kommun för "
                    "%(allocation_year)s."
                )
                % {"code": code, "allocation_year": allocation_year}
            )
        else:
            r = rows[code]
            kommuner.append(am.KommunFigures(code, r.support_measure, r.population))
    if problems:
        return inputs, problems
    ids = {i.key for i in inputs}
    taken_from = {
        p.municipality_id: p.association_id
        for p in AreaPart.objects.filter(municipality_id__in=codes, association_id__in=ids)
    }
    return (
        am.with_new_association(inputs, key="new", name=name or _("Nytt förbund"),
                                kommuner=kommuner, taken_from=taken_from),
        [],
    )


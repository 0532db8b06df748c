"""Budget versions: a draft, its changes, and adoption (after which it is locked).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.finance.models import (
    Budget,
    BudgetInterventionLine,
    BudgetStatus,
    FinanceYear,
)
from stegvis.finance.services._common import _kronor, _manage_of, _today
from stegvis.interventions.models import BudgetLine
from stegvis.lib.errors import Errors
from stegvis.lib.services import service

# --- Budget --------------------------------------------------------------------------------


@service(_manage_of('finance_year'))
def budget_draft_create(*, actor: Any, finance_year: FinanceYear) -> Budget:
    """A new draft version, copied from the latest version (empty if it is the first)."""
    FinanceYear.objects.select_for_update().get(pk=finance_year.pk)
    if finance_year.budgets.filter(status=BudgetStatus.DRAFT).exists():
        raise ValidationError(
            {"__all__": [_("Det finns redan ett utkast för året; ändra det i stället.")]}
        )
    latest = finance_year.budgets.order_by("-version").first()
    budget = Budget.objects.create(
        finance_year=finance_year,
        version=(latest.version + 1) if latest else 1,
        board=latest.board if latest else 0,
        administration=latest.administration if latest else 0,
        audit=latest.audit if latest else 0,
    )
    record_event(
        actor=actor, action=Action.CREATE, obj=budget, association=finance_year.association_id,
        details={"year": finance_year.year, "version": budget.version,
                 "copied_from": latest.version if latest else None},
    )
    return budget


LOCKED = gettext_noop(
    "Budgetversion %(version)s är fastställd och låst. Skapa en ny version för att ändra."
)


@service(_manage_of('budget'))
def budget_update(
    *, actor: Any, budget: Budget, board: Any, administration: Any, audit: Any
) -> Budget:
    """Change a draft's amounts for styrelse, administration and revision."""
    budget = Budget.objects.select_for_update().select_related("finance_year").get(pk=budget.pk)
    errors = Errors()
    if budget.is_locked:
        errors.add("__all__", _(LOCKED) % {"version": budget.version})
        errors.raise_if_any()
    values = {
        "board": _kronor(errors, "board", _("Styrelse"), board),
        "administration": _kronor(errors, "administration", _("Administration"), administration),
        "audit": _kronor(errors, "audit", _("Revision"), audit),
    }
    errors.raise_if_any()
    before = {k: int(getattr(budget, k)) for k in values}
    for k, v in values.items():
        setattr(budget, k, v)
    budget.save()
    record_event(
        actor=actor, action=Action.UPDATE, obj=budget,
        association=budget.finance_year.association_id,
        details={"year": budget.finance_year.year, "version": budget.version,
                 "before": before, "after": values},
    )
    return budget


@service(_manage_of('budget'))
def budget_adopt(*, actor: Any, budget: Budget, decided_on: dt.date | None) -> Budget:
    """Adopt (fastställ) a draft on ``decided_on``: it is locked from then on."""
    association = budget.finance_year.association
    budget = Budget.objects.select_for_update().select_related("finance_year").get(pk=budget.pk)
    errors = Errors()
    if budget.is_locked:
        errors.add("__all__", _(LOCKED) % {"version": budget.version})
    if decided_on is None:
        errors.add("decided_on", _("Beslutsdatum: ange datum för styrelsens beslut."))
    elif decided_on > _today():
        errors.add("decided_on", _("Beslutsdatum kan inte ligga i framtiden."))
    errors.raise_if_any()
    year = budget.finance_year.year
    lines: dict[int, list[Any]] = {}
    for line in BudgetLine.objects.filter(
        intervention_year__intervention__association=association, intervention_year__year=year
    ).select_related("intervention_year__intervention"):
        intervention = line.intervention_year.intervention
        entry = lines.setdefault(intervention.pk, [intervention.name, 0])
        entry[1] += int(line.budget)
    BudgetInterventionLine.objects.bulk_create(
        [BudgetInterventionLine(budget=budget, intervention_id=pk, name=name, amount=amount)
         for pk, (name, amount) in lines.items()]
    )
    budget.interventions_total = sum(amount for _n, amount in lines.values())
    budget.status = BudgetStatus.ADOPTED
    budget.decided_on = decided_on
    budget.save()
    # Older adopted versions stay as history; the newest adopted one is the current budget.
    record_event(
        actor=actor, action=Action.UPDATE, obj=budget, association=association,
        details={
            "year": year, "version": budget.version, "status": "faststalld",
            "decided_on": decided_on.isoformat() if decided_on else "",
            "interventions_total": int(budget.interventions_total),
        },
    )
    return budget

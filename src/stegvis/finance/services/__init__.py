"""Writes for money: each is one transaction with its audit event; nothing is saved on error.

Who may:
- a förbund's money (frame, contributions, payments, budget, actual costs) is edited by users
  with MANAGE_ASSOCIATION in that förbund (its förbundsadministratör; a systemadministratör
  holds it everywhere). Others get 404 (no role there) or 403 (a role, but not this one).
- the national model (parameters, inputs, decided allocations) by a systemadministratör only.
- a förhandsbesked by the förbund's administrator or a systemadministratör.

Decisions:
- Amounts are whole kronor and never negative (an eget kapital below zero is not handled).
- Contributions are computed from the frame and the förbund's funding key when the frame is
  set, and stored per member (the key of that moment is frozen into the year). Members are the
  organisations with a membership period overlapping the year. Arbetsförmedlingen pays no
  contribution of its own (its share is within Försäkringskassan's half).
- A budget version is an *utkast* until adopted (*fastställd*) with a decision date; then it is
  locked and a change means a new version (copied from the latest). The insatser's part is the
  sum of their own budget lines for the year, frozen per insats when the version is adopted."""

from stegvis.finance.services._common import (
    YEAR_MAX,
    YEAR_MIN,
)
from stegvis.finance.services.allocation import (
    advance_notice_set,
    allocation_decide,
    allocation_inputs_import,
    association_names,
    import_check,
    parameters_create,
)
from stegvis.finance.services.budget import (
    LOCKED,
    budget_adopt,
    budget_draft_create,
    budget_update,
)
from stegvis.finance.services.contributions import (
    actual_costs_set,
    compute_split,
    contribution_payment_set,
    finance_year_set,
    year_members,
)

__all__ = [
    "LOCKED",
    "YEAR_MAX",
    "YEAR_MIN",
    "actual_costs_set",
    "advance_notice_set",
    "allocation_decide",
    "allocation_inputs_import",
    "association_names",
    "budget_adopt",
    "budget_draft_create",
    "budget_update",
    "compute_split",
    "contribution_payment_set",
    "finance_year_set",
    "import_check",
    "parameters_create",
    "year_members",
]

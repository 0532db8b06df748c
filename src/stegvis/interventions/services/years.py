"""An insats's year: its volume, planned participants and budget lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions import domain
from stegvis.interventions.models import (
    BudgetKind,
    BudgetLine,
    Intervention,
    InterventionYear,
)
from stegvis.interventions.services._common import _require_manage
from stegvis.lib.errors import raise_problems
from stegvis.lib.problems import Problem


def _clean_lines(
    intervention: Intervention,
    year: int,
    lines: Iterable[tuple[str, Decimal | int | None, Decimal | int | None]],
    errors: list[Problem],
) -> dict[str, tuple[Decimal, Decimal | None]]:
    """The budget lines by kind as (budget, actual); each problem is added to ``errors``."""
    cleaned: dict[str, tuple[Decimal, Decimal | None]] = {}
    labels = {BudgetKind.COST: "Insatskostnad", BudgetKind.ESF_COST: "ESF-insatskostnad"}
    for kind, budget, actual in lines:
        if kind not in BudgetKind.values:
            errors.append(Problem("kind", _("Typ av budgetrad: okänd typ.")))
            continue
        label = str(labels[BudgetKind(kind)])
        if kind in cleaned:
            errors.append(
                Problem(
                    f"{kind}_budget", _("%(label)s: anges bara en gång per år.") % {"label": label}
                )
            )
            continue
        if kind == BudgetKind.ESF_COST and not intervention.esf_cofunded:
            errors.append(
                Problem(
                    f"{kind}_budget",
                    _(
                        "%(label)s: insatsen är inte ESF-medfinansierad, så ESF-kostnader kan "
                        "inte budgeteras."
                    )
                    % {"label": label},
                )
            )
            continue
        errs = domain.money_errors(
            f"{kind}_budget", _("%(label)s, budget") % {"label": label}, budget, required=True
        )
        errs += domain.money_errors(
            f"{kind}_actual", _("%(label)s, utfall") % {"label": label}, actual, required=False
        )
        if actual is not None and year > timezone.localdate().year:
            # An outcome for a year that has not begun is a copy of another year's figures.
            errs.append(
                Problem(
                    f"{kind}_actual",
                    _(
                        "%(label)s, utfall: år %(year)s har inte börjat. Lämna utfallet tomt "
                        "tills året har börjat."
                    )
                    % {"label": label, "year": year},
                )
            )
        errors += errs
        if not errs:
            assert budget is not None  # money_errors refuses a missing budget
            cleaned[kind] = (
                Decimal(int(budget)),
                Decimal(int(actual)) if actual is not None else None,
            )
    return cleaned


def _save_year(
    *,
    actor: Any,
    intervention: Intervention,
    year: int,
    planned_participants: int,
    cleaned: dict[str, tuple[Decimal, Decimal | None]],
) -> InterventionYear:
    """Replace the year's plan and lines and record the change, in one transaction."""
    with transaction.atomic():
        iy, created = InterventionYear.objects.select_for_update().get_or_create(
            intervention=intervention,
            year=year,
            defaults={"planned_participants": int(planned_participants)},
        )
        before = {
            "planned_participants": None if created else iy.planned_participants,
            "lines": {
                bl.kind: [str(bl.budget), None if bl.actual is None else str(bl.actual)]
                for bl in iy.budget_lines.all()
            },
        }
        iy.planned_participants = int(planned_participants)
        iy.save()
        iy.budget_lines.exclude(kind__in=list(cleaned)).delete()
        for kind, (budget, actual) in cleaned.items():
            BudgetLine.objects.update_or_create(
                intervention_year=iy, kind=kind, defaults={"budget": budget, "actual": actual}
            )
        after = {
            "planned_participants": iy.planned_participants,
            "lines": {k: [str(b), None if a is None else str(a)] for k, (b, a) in cleaned.items()},
        }
        record_event(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=iy,
            association=intervention.association_id,
            details={"intervention": intervention.pk, "year": year, "from": before, "to": after},
        )
    return iy


def intervention_year_set(
    *,
    actor: Any,
    intervention: Intervention,
    year: int,
    planned_participants: int,
    lines: Iterable[tuple[str, Decimal | int | None, Decimal | int | None]],
) -> InterventionYear:
    """Set one calendar year's plan: planned participants and budget lines.

    ``lines`` is ``(kind, budget, actual)`` per kind; the year's lines are replaced by these
    (a kind left out is removed). ESF lines require an ESF co-funded insats.
    """
    _require_manage(actor, intervention.association)
    errors: list[Problem] = []
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors.append(Problem("year", _("År: ange ett årtal.")))
        raise_problems(errors)
    errors += domain.year_errors(
        year, intervention.start_date, intervention.end_date, today=timezone.localdate()
    )
    if planned_participants is None or int(planned_participants) < 0:
        errors.append(
            Problem(
                "planned_participants",
                _("Planerat antal deltagare: ange ett heltal som är noll eller större."),
            )
        )
    cleaned = _clean_lines(intervention, year, lines, errors)
    raise_problems(errors)
    return _save_year(actor=actor, intervention=intervention, year=year,
                      planned_participants=planned_participants, cleaned=cleaned)

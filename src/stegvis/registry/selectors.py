"""Reads of register matching: exports the user may see, and the register indicators'
counts (indicators.md, "Register-based follow-up"), scoped through the indicator facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.lib.dates import add_months
from stegvis.participants.models import ParticipationFact
from stegvis.registry import rules
from stegvis.registry.models import CohortExport, RegisterOutcome

GROUPS = ("K", "M", "T", "se", "abroad", "unknown")


def exports_for(*, user: Any) -> QuerySet[CohortExport]:
    """Cohort exports the user may import into: their förbund's (as förbundsadministratör),
    or all (as systemadministratör)."""
    qs = CohortExport.objects.select_related("association", "ordered_by").order_by("-pk")
    if scope.has_role(user, Role.SYSTEM_ADMIN):
        return qs
    ids = [a.pk for a in scope.associations(user, Capability.MANAGE_ASSOCIATION)]
    return qs.filter(association_id__in=ids)


def has_outcomes(facts: QuerySet[ParticipationFact]) -> bool:
    return RegisterOutcome.objects.filter(participation_id__in=facts.values("pk")).exists()


def matched_months(participation_ids: list[int]) -> set[tuple[int, dt.date]]:
    """``(participation id, month)`` pairs with an imported register outcome."""
    return set(RegisterOutcome.objects.filter(participation_id__in=participation_ids)
               .values_list("participation_id", "month"))


def register_counts(
    facts: QuerySet[ParticipationFact], *, start: dt.date, end: dt.date, k: int,
    from_start: bool,
) -> dict[str, dict[str, int]]:
    """Per group (K, M, T, born in Sweden / abroad / unknown): the register cohort for k
    months (reference date + k months in [start, end] with register data for that month) and
    how many of it had no public support, work, and work or studies in that month.

    ``facts`` is already scoped to the user and the report's filters."""
    basis = "start_date" if from_start else "end_date"
    rows = list(facts.filter(**{f"{basis}__isnull": False})
                .filter(participation__register_outcomes__isnull=False).distinct()
                .values_list("pk", "sex", basis))
    wanted: dict[int, tuple[str, dt.date]] = {}
    for pid, sex, day in rows:
        target = add_months(day, k)
        if start <= target <= end:
            wanted[pid] = (sex, rules.month_of(target))
    out = {g: {"cohort": 0, "nps": 0, "work": 0, "wos": 0} for g in GROUPS}
    ids = list(wanted)
    for first in range(0, len(ids), 500):
        outcomes = RegisterOutcome.objects.filter(participation_id__in=ids[first:first + 500])
        born: dict[int, bool | None] = {}
        by_month: dict[tuple[int, dt.date], RegisterOutcome] = {}
        for o in outcomes:
            by_month[(o.participation_id, o.month)] = o
            if o.born_abroad is not None:
                born[o.participation_id] = o.born_abroad
        for pid in ids[first:first + 500]:
            sex, month = wanted[pid]
            o = by_month.get((pid, month))
            if o is None:
                continue
            origin = born.get(pid)
            group = "unknown" if origin is None else "abroad" if origin else "se"
            for g in (sex, "T", group):
                c = out[g]
                c["cohort"] += 1
                c["nps"] += not o.support
                c["work"] += o.employed
                c["wos"] += o.employed or o.studying
    return out


def export_get(*, user: Any, pk: int) -> CohortExport:
    """One export the user may import into (404 otherwise)."""
    export = exports_for(user=user).filter(pk=pk).first()
    if export is None:
        raise Http404
    return export


def export_scopes(*, user: Any) -> list[tuple[str, str]]:
    """(value, label) of what the user may export: their förbund, and the whole country for a
    systemadministratör."""
    out = []
    if scope.has_role(user, Role.SYSTEM_ADMIN):
        out.append(("hela_landet", _("Hela landet")))
    out.extend((str(a.pk), a.name) for a in
               scope.associations(user, Capability.MANAGE_ASSOCIATION).order_by("name"))
    return out

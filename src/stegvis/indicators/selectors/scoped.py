"""Who may report on what: the förbund and insatser of a user's report scope, the resolved
query, and the fact rows it may count — everything narrowed through
:mod:`stegvis.access.scope` with ``Capability.REPORTS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import (
    QuerySet,
)
from django.http import Http404

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.associations.models import Association
from stegvis.indicators.periods import Period
from stegvis.indicators.selectors.blocks import Filters, ReportQuery, filter_labels
from stegvis.interventions.models import (
    Intervention,
)
from stegvis.participants.models import ParticipationFact
from stegvis.reference.models import CodeList

REPORTS = Capability.REPORTS


# --- scope ---------------------------------------------------------------------------------


def report_associations(*, user: Any) -> QuerySet[Association]:
    """Förbund whose reports the user may read."""
    return scope.associations(user, REPORTS).order_by("name")


def association_for_reports(*, user: Any, association_id: int) -> Association:
    return scope.get_association(user, association_id, REPORTS)


def is_national_reader(*, user: Any) -> bool:
    return scope.association_ids(user, REPORTS) is None


def resolve_query(
    *,
    user: Any,
    period: Period,
    association_ids: Iterable[int] = (),
    intervention_ids: Iterable[int] = (),
    filters: Filters | None = None,
) -> ReportQuery:
    """Check every requested förbund and insats against the user's roles (404/403)."""
    wanted = sorted(set(association_ids))
    interventions = sorted(set(intervention_ids))
    allowed = scope.association_ids(user, REPORTS)
    ids: set[int] = set()
    for pk in wanted:
        ids.add(scope.get_association(user, pk, REPORTS).pk)
    for pk in interventions:
        association_id = (
            Intervention.objects.filter(pk=pk).values_list("association_id", flat=True).first()
        )
        if association_id is None:
            raise Http404
        scope.get_association(user, association_id, REPORTS)
        if wanted and association_id not in wanted:
            raise Http404
        ids.add(association_id)
    result: tuple[int, ...] | None
    if ids:
        result = tuple(sorted(ids))
    elif allowed is None:
        result = None
    elif allowed:
        result = tuple(sorted(allowed))
    else:
        scope.deny(user, REPORTS, None)
        raise AssertionError("unreachable")
    names = tuple(
        Association.objects.filter(pk__in=result).order_by("name").values_list("name", flat=True)
    ) if result is not None else ()
    filters = filters or Filters()
    return ReportQuery(
        period=period,
        association_ids=result,
        intervention_ids=tuple(interventions),
        filters=filters,
        association_names=names,
        intervention_names=tuple(
            Intervention.objects.filter(pk__in=interventions).order_by("name")
            .values_list("name", flat=True)
        ),
        filter_labels=filter_labels(filters),
    )


def scoped_interventions(user: Any, q: ReportQuery) -> QuerySet[Intervention]:
    """The insatser in ``user``'s report scope narrowed by the query's förbund, insatser and
    target group."""
    qs = scope.scope_queryset(Intervention.objects.all(), user, REPORTS)
    if q.association_ids is not None:
        qs = qs.filter(association_id__in=q.association_ids)
    if q.intervention_ids:
        qs = qs.filter(pk__in=q.intervention_ids)
    if q.filters.target_group:
        qs = qs.filter(target_groups__list=CodeList.TARGET_GROUP,
                       target_groups__key=q.filters.target_group)
    return qs


def scoped_facts(user: Any, q: ReportQuery) -> QuerySet[ParticipationFact]:
    """The fact rows (errors left out) in ``user``'s report scope narrowed by the query."""
    qs = scope.scope_queryset(ParticipationFact.objects.all(), user, REPORTS).filter(
        is_error=False
    )
    if q.association_ids is not None:
        qs = qs.filter(association_id__in=q.association_ids)
    if q.intervention_ids:
        qs = qs.filter(intervention_id__in=q.intervention_ids)
    f = q.filters
    if f.target_group:
        qs = qs.filter(
            intervention_id__in=Intervention.objects.filter(
                target_groups__list=CodeList.TARGET_GROUP, target_groups__key=f.target_group
            ).values("pk")
        )
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.age_groups:
        qs = qs.filter(age_group__in=f.age_groups)
    if f.kommun:
        qs = qs.filter(residence_id=f.kommun)
    return qs.order_by()


# --- choices for the filter form -----------------------------------------------------------


def intervention_choices(*, user: Any, association_ids: list[int]) -> list[tuple[int, str]]:
    """Insatser of the given förbund that the user may report on (for the filter form)."""
    if not association_ids:
        return []
    qs = scope.scope_queryset(Intervention.objects.all(), user, REPORTS).filter(
        association_id__in=association_ids
    )
    return [
        (pk, f"{name} ({association})")
        for pk, name, association in qs.order_by("association__name", "name").values_list(
            "pk", "name", "association__name"
        )[:1000]
    ]

"""The audit log review: a filtered, paginated list and a CSV export of the same filter."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from stegvis.associations.models import Association
from stegvis.audit import selectors, services
from stegvis.audit.csvsafe import cell
from stegvis.audit.forms import AuditFilterForm
from stegvis.audit.models import AuditEvent

PAGE_SIZE = 50


def _reviewable_associations(request: HttpRequest) -> QuerySet[Association]:
    """403 without the audit capability; 404/403 for a förbund asked for but not reviewable."""
    raw = request.GET.get("association", "")
    if raw.isdigit():
        selectors.audit_associations(user=request.user, association_id=int(raw))
    return selectors.audit_associations(user=request.user)


def _events(request: HttpRequest, filters: dict[str, Any], form: AuditFilterForm) -> QuerySet:
    c = form.cleaned_data
    return selectors.events_for(
        user=request.user,
        date_from=c.get("date_from"),
        date_to=c.get("date_to"),
        actor_username=filters["actor_username"],
        association_id=filters["association"],
        action=filters["action"],
    )


def _query(filters: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in filters.items() if v not in ("", None)})


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    associations = _reviewable_associations(request)
    # Always bound: an empty filter is valid and shows every event the user may review.
    form = AuditFilterForm(request.GET, associations=associations)
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_valid():
        filters = form.filters()
        page = Paginator(_events(request, filters, form), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.object_list = list(page.object_list)
        services.audit_log_reviewed(
            actor=request.user,
            filters=filters,
            association=filters["association"],
            page=page.number,
        )
        query = _query(filters)
        context.update(page=page, query=query, query_prefix=f"{query}&" if query else "")
    return render(request, "audit/event_list.html", context)


CSV_HEADER = (
    _("Tid"),
    _("Användare"),
    _("Händelse"),
    _("Objekttyp"),
    _("Objekt-id"),
    _("Samordningsförbund"),
    _("Anledning"),
    _("Begäran-id"),
    _("Detaljer"),
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([cell(h) for h in CSV_HEADER])
    for e in events:
        yield writer.writerow(
            [
                cell(timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")),
                cell(e.actor_username),
                cell(e.get_action_display()),
                cell(e.object_type),
                cell(e.object_id),
                cell(e.association.name if e.association else ""),
                cell(e.reason),
                cell(e.request_id),
                cell(json.dumps(e.details, ensure_ascii=False, sort_keys=True)),
            ]
        )


@login_required
@require_GET
def event_export(request: HttpRequest) -> HttpResponse:
    associations = _reviewable_associations(request)
    form = AuditFilterForm(request.GET, associations=associations)
    if not form.is_valid():
        return render(
            request,
            "audit/event_list.html",
            {"form": form, "page": None},
            status=400,
        )
    filters = form.filters()
    events = _events(request, filters, form)
    exported = services.audit_log_exported(
        actor=request.user,
        filters=filters,
        association=filters["association"],
        rows=events.count(),
    )
    events = events.exclude(pk=exported.pk)
    name = f"stegvis-granskningslogg-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(
        _csv_rows(events.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


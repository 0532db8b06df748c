"""The audit log review: a filtered, paginated list and a CSV export of the same filter."""

from __future__ import annotations

import csv
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

from stegvis.access.roles import Capability
from stegvis.access.rules import association_from_query, perm_name, permission_required
from stegvis.audit import services
from stegvis.audit.models import AuditEvent
from stegvis.audit_review import selectors
from stegvis.audit_review.forms import AuditFilterForm
from stegvis.audit_review.readable import present
from stegvis.lib.htmx import render_page_or_region
from stegvis.lib.spreadsheet import cell

PAGE_SIZE = 50


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


# 403 without the audit capability; 404/403 for a förbund asked for but not reviewable.
REVIEWER = permission_required(perm_name(Capability.AUDIT), association_from_query("association"))


@login_required
@require_GET
@REVIEWER
def event_list(request: HttpRequest) -> HttpResponse:
    associations = selectors.audit_associations(user=request.user)
    # Always bound: an empty filter is valid and shows every event the user may review.
    form = AuditFilterForm(request.GET, associations=associations)
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_valid():
        filters = form.filters()
        page = Paginator(_events(request, filters, form), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = present(page.object_list, user=request.user)
        services.audit_log_reviewed(
            actor=request.user,
            filters=filters,
            association=filters["association"],
            page=page.number,
        )
        query = _query(filters)
        context.update(
            page=page, rows=rows, query=query, query_prefix=f"{query}&" if query else ""
        )
    return render_page_or_region(
        request, "audit/event_list.html", "audit/_event_list_area.html", context
    )


CSV_HEADER = (
    _("Tid"),
    _("Användare"),
    _("Händelse"),
    _("Objekt"),
    _("Samordningsförbund"),
    _("Anledning"),
    _("Detaljer"),
    _("Begäran-id"),
)
CSV_BATCH = 500


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(events: Iterable[AuditEvent], user: Any) -> Iterator[str]:
    """The same readable columns as the page, in batches (names looked up once a batch)."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([cell(h) for h in CSV_HEADER])
    for batch in _batches(events, CSV_BATCH):
        for row in present(batch, user=user):
            yield writer.writerow(
                [
                    cell(row.at.strftime("%Y-%m-%d %H:%M:%S")),
                    cell(row.user),
                    cell(row.action),
                    cell(row.object),
                    cell(row.association),
                    cell(row.reason),
                    cell(row.details),
                    cell(row.event.request_id),
                ]
            )


def _batches(events: Iterable[AuditEvent], size: int) -> Iterator[list[AuditEvent]]:
    batch: list[AuditEvent] = []
    for e in events:
        batch.append(e)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@login_required
@require_GET
@REVIEWER
def event_export(request: HttpRequest) -> HttpResponse:
    associations = selectors.audit_associations(user=request.user)
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
        _csv_rows(events.iterator(chunk_size=2000), request.user),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


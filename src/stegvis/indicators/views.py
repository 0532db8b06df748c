"""Report pages and exports (/rapporter/...). Thin: the form parses, selectors read and scope,
reports build and suppress, exports render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.access.roles import Capability
from stegvis.access.rules import (
    NATIONAL_REPORTS,
    association_from,
    check,
    perm_name,
    permission_required,
)
from stegvis.indicators import charts, exports, forms, reports, selectors, services
from stegvis.indicators.periods import year_period
from stegvis.indicators.reports import REPORT_TITLES, Report
from stegvis.indicators.tables import threshold_sentence
from stegvis.lib.htmx import render_page_or_region

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
ALL_REPORTS = {**REPORT_TITLES, "indikatorer": gettext_noop("Huvudindikatorer")}  # msgids


PAGE_ROWS = 50  # rows of a long table (the national Insatsrapport) shown per page


def _page_number(request: HttpRequest | None) -> int:
    raw = request.GET.get("sida", "1") if request is not None else "1"
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def _table_context(report: Report, request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """Tables for a page. A table of more than :data:`PAGE_ROWS` rows is shown a page at a
    time (``?sida=N``, its total row on every page, no chart of thousands of bars); exports
    keep every row. The bundle behind it is protected as a whole, so a page shows exactly the
    cells the full table shows."""
    out = []
    page = _page_number(request)
    for t in report.tables:
        rows = t.display_rows()
        body = [r for r in rows if not r["is_total"]]
        pager = None
        if len(body) > PAGE_ROWS:
            pages = -(-len(body) // PAGE_ROWS)
            current = min(page, pages)
            first = (current - 1) * PAGE_ROWS
            shown = body[first:first + PAGE_ROWS]
            rows = shown + [r for r in rows if r["is_total"]]
            params = request.GET.copy() if request is not None else None

            def link(n: int, params: Any = params, pages: int = pages) -> str | None:
                if params is None or not 1 <= n <= pages:
                    return None
                params["sida"] = str(n)
                return "?" + params.urlencode()

            pager = {"first": first + 1, "last": first + len(shown), "count": len(body),
                     "page": current, "pages": pages, "previous": link(current - 1),
                     "next": link(current + 1)}
        out.append({
            "table": t, "rows": rows, "pager": pager,
            "chart": charts.data_uri(t) if t.chart and pager is None else None,
            "legend": t.legend(),
        })
    return out


def _form(request: HttpRequest) -> forms.ReportForm:
    user = request.user
    associations = list(selectors.report_associations(user=user))
    selected = [int(v) for v in request.GET.getlist("association") if v.isdigit()]
    national = selectors.is_national_reader(user=user)
    pool = selected if national else [a.pk for a in associations]
    return forms.ReportForm(
        request.GET or None,
        associations=[(a.pk, a.name) for a in associations],
        interventions=selectors.intervention_choices(user=user, association_ids=pool),
        target_groups=selectors.code_choices("target_group"),
        kommuner=selectors.kommun_choices(),
    )


def _query(request: HttpRequest, form: forms.ReportForm) -> selectors.ReportQuery:
    data = form.cleaned_data
    return selectors.resolve_query(
        user=request.user,
        period=data["parsed_period"],
        association_ids=data.get("association") or [],
        intervention_ids=data.get("intervention") or [],
        filters=form.filters(),
    )


def _build(name: str, request: HttpRequest, query: selectors.ReportQuery) -> Report:
    if name == "nationellt":
        _require_national(request)
        return reports.national(user=request.user, query=query)
    return reports.build(name, user=request.user, query=query)


def _require_national(request: HttpRequest) -> None:
    check(request.user, NATIONAL_REPORTS)


@login_required
@permission_required(perm_name(Capability.REPORTS))
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/index.html",
        {
            "reports": [(name, _(title)) for name, title in REPORT_TITLES.items()],
            "associations": selectors.report_associations(user=request.user),
            "threshold_text": threshold_sentence(reports.threshold()),
        },
    )


def _report_page(request: HttpRequest, name: str, title: str) -> HttpResponse:
    form = _form(request)
    if form.is_bound:
        if not form.is_valid():
            return render_page_or_region(
                request, "indicators/report.html", "indicators/_report_area.html",
                {"form": form, "title": title, "name": name}, status=400,
            )
        query = _query(request, form)
    else:
        query = selectors.resolve_query(
            user=request.user, period=year_period(timezone.localdate().year)
        )
    report = _build(name, request, query)
    return render_page_or_region(
        request,
        "indicators/report.html",
        "indicators/_report_area.html",
        {
            "form": form,
            "title": title,
            "name": name,
            "report": report,
            "tables": _table_context(report, request),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
@permission_required(perm_name(Capability.REPORTS))
def report(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ALL_REPORTS:
        raise Http404
    return _report_page(request, name, _(ALL_REPORTS[name]))


@login_required
@permission_required(NATIONAL_REPORTS)
def national(request: HttpRequest) -> HttpResponse:
    return _report_page(request, "nationellt", _("Nationell översikt"))


@login_required
@permission_required(perm_name(Capability.REPORTS))
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if (name not in ALL_REPORTS and name != "nationellt") or fmt not in CONTENT_TYPES:
        raise Http404
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "indicators/report.html",
                      {"form": form, "title": _(ALL_REPORTS.get(name, name)), "name": name},
                      status=400)
    if form.is_bound:
        query = _query(request, form)
    else:
        query = selectors.resolve_query(
            user=request.user, period=year_period(timezone.localdate().year)
        )
    report = _build(name, request, query)
    body = {"csv": exports.to_csv, "xlsx": exports.to_xlsx, "pdf": exports.to_pdf}[fmt](report)
    services.export_record(
        actor=request.user, report=name, fmt=fmt,
        period=f"{query.period.start.isoformat()}/{query.period.end.isoformat()}",
        association_ids=list(query.association_ids) if query.association_ids is not None
        else None,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"stegvis-{name}-{query.period.start.isoformat()}-{query.period.end.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
@permission_required(perm_name(Capability.REPORTS), association_from("pk"))
def association_start(request: HttpRequest, pk: int) -> HttpResponse:
    report = reports.association_start(user=request.user, association_id=pk)
    today = timezone.localdate()
    return render(
        request,
        "indicators/start.html",
        {
            "report": report,
            "association": selectors.association_for_reports(user=request.user,
                                                             association_id=pk),
            "tables": _table_context(report),
            "year": today.year,
            "previous_year": today.year - 1,
        },
    )


@login_required
@permission_required(perm_name(Capability.REPORTS), association_from("pk"))
def yearly_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    if not dt.MINYEAR < year < dt.MAXYEAR:
        raise Http404
    report = reports.yearly_aggregate(user=request.user, association_id=pk, year=year)
    body = exports.to_xlsx(report)
    services.export_record(actor=request.user, report="arsuppgifter", fmt="xlsx",
                           period=str(year), association_ids=[pk])
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="stegvis-arsuppgifter-{pk}-{year}.xlsx"'
    )
    return response

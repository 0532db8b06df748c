"""API for indicators and reports: the same figures and scoping as the pages, suppressed.

``GET /api/v1/indicators?from=YYYY-MM-DD&to=YYYY-MM-DD[&association=ID][&intervention=ID]``
returns every headline key for K, M and T; ``GET /api/v1/reports/{name}`` a report's tables.
A suppressed cell is ``{"value": null, "suppressed": true}``; a not applicable or not available
one ``{"value": null, "suppressed": false, "reason": "..."}``. Every response states its scope,
period, active filters and threshold. Bad periods or filters are 400, förbund or
insatser the user may not see 404 (no role there) or 403 (role without report access).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from stegvis.indicators import maths, reports, selectors
from stegvis.indicators.periods import (
    PeriodError,
    check_within_data,
    expand_age_filter,
    parse_period,
)
from stegvis.indicators.reports import REPORTS
from stegvis.indicators.tables import cell_json

router = Router(tags=["indikatorer"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class IndicatorOut(Schema):
    key: str
    sex: Literal["K", "M", "T"]
    value: float | int | None
    numerator: int | None
    denominator: int | None
    suppressed: bool
    reason: str | None = None
    preliminary: bool = False


class IndicatorsOut(Schema):
    period: dict[str, str]
    scope: str
    interventions: list[int]
    filters: dict[str, Any]
    filters_label: str
    suppression_threshold: int
    suppression_text: str
    indicators: list[IndicatorOut]


class CellOut(Schema):
    kind: str
    value: float | int | str | None
    suppressed: bool
    numerator: int | None = None
    denominator: int | None = None
    reason: str | None = None
    preliminary: bool = False


class RowOut(Schema):
    key: str
    header: str
    cells: list[CellOut]


class TableOut(Schema):
    key: str
    caption: str
    row_header: str
    columns: list[str]
    note: str
    legend: list[str]
    rows: list[RowOut]


class ReportOut(Schema):
    report: str
    title: str
    period: dict[str, str]
    scope: str
    associations: list[int] | None
    interventions: list[int]
    filters: dict[str, Any]
    filters_label: str
    suppression_threshold: int
    suppression_text: str
    generated: str
    notes: list[str]
    tables: list[TableOut]


def _period(request: HttpRequest) -> Any:
    period = parse_period(start=request.GET.get("from"), end=request.GET.get("to"))
    check_within_data(period, timezone.localdate())
    return period


def _filters(request: HttpRequest) -> selectors.Filters | Status[dict[str, Any]]:
    """sex, age_group, target_group, kommun: a value that does not exist is a 400."""
    get = request.GET.get
    sex = (get("sex") or "").strip()
    if sex not in ("", "K", "M"):
        return _bad("sex", _("Kön: ange K (kvinnor) eller M (män)."))
    age = (get("age_group") or "").strip()
    try:
        ages = expand_age_filter(age) if age else ()
    except PeriodError as exc:
        return _bad("age_group", exc.message)
    target = (get("target_group") or "").strip()
    if target and target not in dict(selectors.code_choices("target_group")):
        return _bad(
            "target_group",
            _("Målgrupp: ”%(target)s” finns inte. Ange en målgrupps kod.") % {"target": target},
        )
    kommun = (get("kommun") or "").strip()
    if kommun and kommun not in dict(selectors.kommun_choices()):
        return _bad(
            "kommun",
            _("Bostadskommun: ”%(kommun)s” finns inte. Ange en kommunkod med fyra siffror.")
            % {"kommun": kommun},
        )
    return selectors.Filters(sex=sex, age_groups=ages, target_group=target, kommun=kommun)


def _bad(field: str, message: str) -> Status[dict[str, Any]]:
    return Status(400, {"code": "bad_request", "field": field, "message": message})


def _ids(request: HttpRequest, name: str) -> list[int] | None:
    values = request.GET.getlist(name)
    if not all(v.strip().isdigit() for v in values):
        return None
    return [int(v) for v in values]


def _query(request: HttpRequest) -> selectors.ReportQuery | Status[dict[str, Any]]:
    try:
        period = _period(request)
    except PeriodError as exc:
        return Status(400, {"code": "bad_request", "message": exc.message,
                            "field": {"from": "from", "to": "to"}.get(exc.field, exc.field)})
    associations = _ids(request, "association")
    interventions = _ids(request, "intervention")
    if associations is None:
        return Status(400, {"code": "bad_request", "field": "association",
                            "message": _("Förbund: ange förbundets id som ett heltal.")})
    if interventions is None:
        return Status(400, {"code": "bad_request", "field": "intervention",
                            "message": _("Insats: ange insatsens id som ett heltal.")})
    filters = _filters(request)
    if isinstance(filters, Status):
        return filters
    return selectors.resolve_query(
        user=request.user, period=period, association_ids=associations,
        intervention_ids=interventions, filters=filters,
    )


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/indicators",
    response={200: IndicatorsOut, **ERRORS},
    summary="Huvudindikatorer för K, M och T",
    openapi_extra={
        "parameters": [
            {"in": "query", "name": "from", "required": True,
             "schema": {"type": "string", "format": "date"}},
            {"in": "query", "name": "to", "required": True,
             "schema": {"type": "string", "format": "date"}},
            {"in": "query", "name": "association", "schema": {"type": "integer"}},
            {"in": "query", "name": "intervention", "schema": {"type": "integer"}},
            {"in": "query", "name": "sex", "schema": {"type": "string", "enum": ["K", "M"]}},
            {"in": "query", "name": "age_group", "schema": {"type": "string"}},
            {"in": "query", "name": "target_group", "schema": {"type": "string"}},
            {"in": "query", "name": "kommun", "schema": {"type": "string"}},
        ]
    },
)
def indicators(request: HttpRequest) -> Any:
    query = _query(request)
    if isinstance(query, Status):
        return query
    report = reports.build("indikatorer", user=request.user, query=query)
    table = report.tables[0]
    items = []
    for row in table.rows:
        kind = maths.HEADLINE_KIND[row.key]
        for sex, cell in zip(("K", "M", "T"), row.cells, strict=True):
            out = cell_json(cell)
            items.append(
                {
                    "key": row.key,
                    "sex": sex,
                    "value": out["value"],
                    "numerator": out.get("numerator") if kind == "rate" else None,
                    "denominator": out.get("denominator")
                    if kind in ("rate", "median") else None,
                    "suppressed": out["suppressed"],
                    "reason": out.get("reason"),
                    "preliminary": out.get("preliminary", False),
                }
            )
    meta = report.meta()
    return {
        "period": {"from": meta["period"]["from"], "to": meta["period"]["to"]},
        "scope": meta["scope"],
        "interventions": meta["interventions"],
        "filters": meta["filters"],
        "filters_label": meta["filters_label"],
        "suppression_threshold": report.threshold,
        "suppression_text": meta["suppression_text"],
        "indicators": items,
    }


@router.get(
    "/reports/{name}",
    response={200: ReportOut, **ERRORS},
    summary="En rapports tabeller",
    description="Rapporter: " + ", ".join(REPORTS) + ". Samma parametrar som /indicators.",
)
def report(request: HttpRequest, name: str) -> Any:
    if name not in REPORTS:
        return Status(
            404,
            {
                "code": "not_found",
                "message": _("Okänd rapport. Välj någon av: %(reports)s.")
                % {"reports": ", ".join(REPORTS)},
            },
        )
    query = _query(request)
    if isinstance(query, Status):
        return query
    built = reports.build(name, user=request.user, query=query)
    data = built.as_dict()
    data["period"] = {k: str(v) for k, v in data["period"].items()}
    data["suppression_threshold"] = built.threshold
    return data

"""Pages of the national allocation model: parameters, imported inputs, the calculation, what-if,
förhandsbesked and the decision.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.rules import ADMINISTER, permission_required
from stegvis.finance import allocation as am
from stegvis.finance import csv_import, forms, selectors, services
from stegvis.finance.numbers import NumberError, parse_decimal, parse_kronor
from stegvis.lib.htmx import render_page_or_region
from stegvis.lib.views import show_service_errors, submit

# --- The national model --------------------------------------------------------------------


def _default_year() -> int:
    return timezone.localdate().year + 1


@login_required
@permission_required(ADMINISTER)
def national(request: HttpRequest) -> HttpResponse:
    years = selectors.allocation_years(user=request.user)
    return render(request, "finance/national.html", {
        "years": years, "next_year": _default_year(),
    })


@login_required
@permission_required(ADMINISTER)
def parameters(request: HttpRequest) -> HttpResponse:
    existing = selectors.parameters_list(user=request.user)
    latest = existing.first()
    initial: dict[str, Any] = {
        "allocation_year": _default_year(), "base_amount": 400000, "key_support_pct": "75",
        "key_population_pct": "25", "age_to": "64", "max_reduction_pct": "10",
        "scale_size_1": 0, "scale_pct_1": "30", "scale_size_2": 5000000, "scale_pct_2": "20",
        "scale_size_3": 10000000, "scale_pct_3": "15",
    }
    if latest is not None:
        initial.update({
            "allocation_year": latest.allocation_year, "state_total": int(latest.state_total),
            "base_amount": int(latest.base_amount),
            "key_support_pct": _num(latest.key_support_pct),
            "key_population_pct": _num(latest.key_population_pct),
            "age_to": str(latest.age_to), "max_reduction_pct": _num(latest.max_reduction_pct),
        })
        for n in range(1, forms.SCALE_STEPS + 1):
            initial.pop(f"scale_size_{n}", None)
            initial.pop(f"scale_pct_{n}", None)
        for n, step in enumerate(latest.equity_scale.all(), start=1):
            initial[f"scale_size_{n}"] = int(step.from_size)
            initial[f"scale_pct_{n}"] = _num(step.max_equity_pct)
    form = forms.ParametersForm(request.POST or None, initial=initial)
    if response := submit(
        request,
        form,
        lambda: services.parameters_create(actor=request.user, **form.service_args()),
        success=lambda p: _("Parametrarna för %(year)s är sparade som version "
                            "%(version)s.") % {"year": p.allocation_year,
                                               "version": p.version},
        redirect_to=lambda _result: redirect("finance:parameters"),
    ):
        return response
    return render(request, "finance/parameters.html", {"form": form, "existing": existing})


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


@login_required
@permission_required(ADMINISTER)
def import_inputs(request: HttpRequest, year: int) -> HttpResponse:
    selectors.require_national(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    preview = None
    totals: list[Any] = []
    text = ""
    if request.method == "POST" and form.is_valid():
        try:
            text = form.text()
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            if "commit" in request.POST:
                try:
                    totals = services.allocation_inputs_import(
                        actor=request.user, allocation_year=year, text=text
                    )
                except ValidationError:
                    form.add_error(None, _("Inget sparades: filen har fel. Rätta filen och "
                                           "förhandsgranska igen."))
                    preview = services.import_check(year, text)
                else:
                    messages.success(request, _("Indata för %(n)s förbund är sparade.") %
                                     {"n": len(totals)})
                    return redirect("finance:calculation", year=year)
            else:
                if not text.strip():
                    form.add_error("file", _("Välj en CSV-fil."))
                else:
                    preview = services.import_check(year, text)
    if preview is not None:
        totals = csv_import.totals(preview, services.association_names())
    return render(request, "finance/import.html", {
        "form": form, "year": year, "preview": preview, "totals": totals, "content": text,
        "existing": selectors.inputs_for_year(user=request.user, allocation_year=year),
    }, status=400 if preview is not None and not preview.ok else 200)


@login_required
@permission_required(ADMINISTER)
def calculation(request: HttpRequest, year: int) -> HttpResponse:
    calc = selectors.calculation(user=request.user, allocation_year=year)
    return render(request, "finance/calculation.html", {"calc": calc, "year": year})


def _what_if_parameters(form: forms.WhatIfForm, base: am.Parameters
                        ) -> tuple[am.Parameters, list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    labels = {
        "state_total": _("Statens totala belopp"), "base_amount": _("Grundbelopp"),
        "key_support_pct": _("Nyckel försörjningsmått"),
        "key_population_pct": _("Nyckel befolkning"),
        "max_reduction_pct": _("Största årliga minskning"),
    }
    for name, label in labels.items():
        raw = form.cleaned_data.get(name)
        if raw in (None, ""):
            continue
        try:
            if name in ("state_total", "base_amount"):
                values[name] = parse_kronor(raw)
            else:
                values[name] = parse_decimal(raw)
        except NumberError as error:
            problems.append(error.message(str(label)))
    return am.Parameters(
        state_total=values.get("state_total", base.state_total),
        base_amount=values.get("base_amount", base.base_amount),
        key_support_pct=values.get("key_support_pct", base.key_support_pct),
        key_population_pct=values.get("key_population_pct", base.key_population_pct),
        max_reduction_pct=values.get("max_reduction_pct", base.max_reduction_pct),
        equity_scale=base.equity_scale,
    ), problems


@login_required
@permission_required(ADMINISTER)
def what_if(request: HttpRequest, year: int) -> HttpResponse:
    current_parameters = selectors.parameters_current(user=request.user, allocation_year=year)
    if current_parameters is None:
        # Linked from every page of the year: say what is missing instead of answering 404.
        return render(request, "finance/what_if.html", {"year": year, "no_parameters": True})
    from stegvis.finance.figures import to_model_parameters

    base = to_model_parameters(current_parameters)
    form = forms.WhatIfForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "year": year, "base": base, "ran": False}
    if request.GET and form.is_valid():
        params, problems = _what_if_parameters(form, base)
        codes = re.split(r"[\s,;]+", form.cleaned_data.get("kommunkoder") or "")
        if not problems:
            current, other, comparison, more = selectors.what_if(
                user=request.user, allocation_year=year, model_parameters=params,
                new_name=form.cleaned_data.get("new_name") or "", kommunkoder=codes,
            )
            problems += more
            context.update(current=current, other=other, comparison=comparison)
        for problem in problems:
            form.add_error(None, problem)
        context.update(ran=not problems, params=params)
    return render_page_or_region(request, "finance/what_if.html", "finance/_what_if_area.html",
                                 context, status=400 if form.errors else 200)


@login_required
@permission_required(ADMINISTER)
def notices(request: HttpRequest, year: int) -> HttpResponse:
    calc = selectors.calculation(user=request.user, allocation_year=year)
    choices = [(r.key, r.name) for r in calc.result.rows] if calc.result else []
    form = forms.NoticeForm(request.POST or None, associations=choices)
    if request.method == "POST" and form.is_valid():
        association = selectors.association_for_money(
            user=request.user, association_id=form.cleaned_data["association"]
        )
        if response := submit(
            request,
            form,
            lambda: services.advance_notice_set(
                actor=request.user, association=association, allocation_year=year,
                requested=form.cleaned_data["requested"],
                received_on=form.cleaned_data["received_on"],
            ),
            success=lambda _result: (
                _("Förhandsbeskedet för %(name)s är sparat.") % {"name": association.name}
            ),
            redirect_to=lambda _result: redirect("finance:notices", year=year),
        ):
            return response
    notice_rows = (
        [(r, calc.notices.get(r.key)) for r in calc.result.rows] if calc.result else []
    )
    return render(request, "finance/notices.html",
                  {"calc": calc, "form": form, "year": year, "notice_rows": notice_rows},
                  status=400 if form.errors else 200)


@login_required
@permission_required(ADMINISTER)
def decide(request: HttpRequest, year: int) -> HttpResponse:
    calc = selectors.calculation(user=request.user, allocation_year=year)
    rows: list[tuple[int, str, Any]] = []
    if calc.result:
        for r in calc.result.rows:
            if r.key in calc.decided:
                initial = int(calc.decided[r.key].amount)
            elif r.key in calc.notices:
                initial = int(calc.notices[r.key].requested)
            else:
                initial = r.amount
            rows.append((r.key, r.name, initial))
    else:
        for a in selectors.active_associations(user=request.user):
            d = calc.decided.get(a.pk)
            rows.append((a.pk, a.name, int(d.amount) if d else None))
    form = forms.DecideForm(request.POST or None, rows=rows,
                            initial={"decided_on": timezone.localdate()})
    if response := submit(
        request,
        form,
        lambda: services.allocation_decide(actor=request.user, allocation_year=year,
                                           amounts=form.amounts(),
                                           decided_on=form.cleaned_data["decided_on"]),
        success=lambda _result: _("Beslutet för %(year)s är sparat.") % {"year": year},
        redirect_to=lambda _result: redirect("finance:decide", year=year),
    ):
        return response
    amount_fields = [form[k] for k in form.amount_fields]
    model_amounts = {r.key: r.amount for r in calc.result.rows} if calc.result else {}
    table = [
        (field, model_amounts.get(pk), calc.notices.get(pk), calc.decided.get(pk))
        for field, (pk, _name, _i) in zip(amount_fields, rows, strict=True)
    ]
    return render(request, "finance/decide.html", {
        "calc": calc, "form": form, "year": year, "table": table,
    }, status=400 if form.errors else 200)

"""Pages of a förbund's money: the start page, its years, contributions and payments, actual costs,
budget versions, the chart and the exports.
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access.roles import Capability
from stegvis.access.rules import association_from, perm_name, permission_required
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.finance import charts, exports, forms, selectors, services
from stegvis.lib.views import act, submit


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "finance/index.html",
        {
            "associations": selectors.money_associations(user=request.user),
        },
    )


# --- A förbund's years ---------------------------------------------------------------------


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def association_years(request: HttpRequest, association_id: int) -> HttpResponse:
    association = selectors.association_for_money(user=request.user,
                                                  association_id=association_id)
    form = forms.FinanceYearForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.finance_year_set(actor=request.user, association=association,
                                          **form.cleaned_data),
        success=_("Året är sparat och medlemsbidragen är beräknade."),
        redirect_to=lambda fy: redirect(
            "finance:year", association_id=association.pk, year=fy.year
        ),
    ):
        return response
    return render(
        request,
        "finance/association_years.html",
        {
            "association": association,
            "years": selectors.finance_years(user=request.user, association=association),
            "form": form,
        },
    )


def _year(request: HttpRequest, association_id: int, year: int) -> Any:
    return selectors.finance_year_get(user=request.user, association_id=association_id,
                                      year=year)


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def year_detail(request: HttpRequest, association_id: int, year: int) -> HttpResponse:
    fy = _year(request, association_id, year)
    figures = selectors.year_figures(user=request.user, finance_year=fy)
    allocation = selectors.allocation_for_association(
        user=request.user, association=fy.association, year=year
    )
    payment_forms = [
        (
            c,
            forms.PaymentForm(
                initial={"organisation": c.organisation_id, "paid_on": c.paid_on},
                prefix=f"p{c.organisation_id}",
            ),
        )
        for c in figures.contributions
    ]
    return render(
        request,
        "finance/year_detail.html",
        {
            "association": fy.association,
            "fy": fy,
            "f": figures,
            "allocation": allocation,
            "payment_forms": payment_forms,
            "decided_frame": int(allocation["decided"].amount) * 2
            if allocation["decided"] else None,
        },
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def year_edit(request: HttpRequest, association_id: int, year: int) -> HttpResponse:
    fy = _year(request, association_id, year)
    initial = {
        "frame": int(fy.frame),
        "opening_equity": int(fy.opening_equity),
        "other_income": int(fy.other_income),
    }
    if request.GET.get("ram"):
        initial["frame"] = request.GET["ram"]
    form = forms.FinanceYearForm(request.POST or None, initial=initial, fixed_year=fy.year)
    if response := submit(
        request,
        form,
        lambda: services.finance_year_set(actor=request.user, association=fy.association,
                                          year=fy.year, **form.cleaned_data),
        success=_("Året är sparat och medlemsbidragen är omräknade."),
        redirect_to=lambda _result: redirect(
            "finance:year", association_id=association_id, year=year
        ),
    ):
        return response
    return render(request, "finance/form_page.html", {
        "association": fy.association, "fy": fy, "form": form,
        "title": _("Ram och intäkter %(year)s") % {"year": year},
        "submit": _("Spara och räkna om bidragen"),
    })


@login_required
@require_POST
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def payment(request: HttpRequest, association_id: int, year: int, organisation_id: int
            ) -> HttpResponse:
    fy = _year(request, association_id, year)
    org = selectors.contribution_organisation(user=request.user, finance_year=fy,
                                              organisation_id=organisation_id)
    form = forms.PaymentForm(request.POST, prefix=f"p{organisation_id}")
    if response := submit(
        request,
        form,
        lambda: services.contribution_payment_set(
            actor=request.user, finance_year=fy, organisation=org,
            paid_on=form.cleaned_data["paid_on"],
        ),
        success=lambda _result: _("Betalningen för %(name)s är sparad.") % {"name": org.name},
        redirect_to=lambda _result: redirect(
            "finance:year", association_id=association_id, year=year
        ),
    ):
        return response
    return render(request, "finance/form_page.html", {
        "association": fy.association, "fy": fy, "form": form,
        "title": _("Betalning från %(name)s") % {"name": org.name},
        "submit": _("Spara betalning"),
    }, status=400)


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def actual_costs(request: HttpRequest, association_id: int, year: int) -> HttpResponse:
    fy = _year(request, association_id, year)
    initial = {
        "board": fy.actual_board, "administration": fy.actual_administration,
        "audit": fy.actual_audit,
    }
    form = forms.ActualCostsForm(request.POST or None, initial=initial)
    if response := submit(
        request,
        form,
        lambda: services.actual_costs_set(actor=request.user, finance_year=fy, **form.cleaned_data),
        success=_("Utfallet är sparat."),
        redirect_to=lambda _result: redirect(
            "finance:year", association_id=association_id, year=year
        ),
    ):
        return response
    return render(request, "finance/form_page.html", {
        "association": fy.association, "fy": fy, "form": form,
        "title": _("Utfall %(year)s") % {"year": year},
        "intro": _("Utfallet per insats registreras på respektive insats budgetsida."),
        "submit": _("Spara utfall"),
    })


@login_required
@require_POST
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def budget_new(request: HttpRequest, association_id: int, year: int) -> HttpResponse:
    fy = _year(request, association_id, year)
    return act(
        request,
        lambda: services.budget_draft_create(actor=request.user, finance_year=fy),
        success=None,
        redirect_to=lambda budget: redirect(
            "finance:budget", association_id=association_id, year=year, version=budget.version
        ),
        on_error=lambda: redirect("finance:year", association_id=association_id, year=year),
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def budget_edit(request: HttpRequest, association_id: int, year: int, version: int
                ) -> HttpResponse:
    fy = _year(request, association_id, year)
    budget = selectors.budget_get(user=request.user, finance_year=fy, version=version)
    initial = {"board": int(budget.board), "administration": int(budget.administration),
               "audit": int(budget.audit)}
    form = forms.BudgetForm(request.POST or None, initial=initial)
    adopt = forms.AdoptForm()
    if response := submit(
        request,
        form,
        lambda: services.budget_update(actor=request.user, budget=budget, **form.cleaned_data),
        success=_("Budgetutkastet är sparat."),
        redirect_to=lambda _result: redirect(
            "finance:budget", association_id=association_id, year=year, version=version
        ),
    ):
        return response
    figures = selectors.year_figures(user=request.user, finance_year=fy)
    return render(request, "finance/budget.html", {
        "association": fy.association, "fy": fy, "budget": budget, "form": form,
        "adopt": adopt, "f": figures,
        "live_interventions": sum(i.budget for i in figures.interventions),
    })


@login_required
@require_POST
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def budget_adopt(request: HttpRequest, association_id: int, year: int, version: int
                 ) -> HttpResponse:
    fy = _year(request, association_id, year)
    budget = selectors.budget_get(user=request.user, finance_year=fy, version=version)
    adopt = forms.AdoptForm(request.POST)
    if response := submit(
        request,
        adopt,
        lambda: services.budget_adopt(actor=request.user, budget=budget,
                                      decided_on=adopt.cleaned_data["decided_on"]),
        success=_("Budgeten är fastställd och låst."),
        redirect_to=lambda _result: redirect(
            "finance:year", association_id=association_id, year=year
        ),
    ):
        return response
    figures = selectors.year_figures(user=request.user, finance_year=fy)
    form = forms.BudgetForm(initial={"board": int(budget.board),
                                     "administration": int(budget.administration),
                                     "audit": int(budget.audit)})
    return render(request, "finance/budget.html", {
        "association": fy.association, "fy": fy, "budget": budget, "form": form,
        "adopt": adopt, "f": figures,
        "live_interventions": sum(i.budget for i in figures.interventions),
    }, status=400)


# The chart is its own document: matplotlib's SVG carries style attributes, allowed here only.
SVG_POLICY = {"default-src": ["'none'"], "style-src": ["'unsafe-inline'"],
              "script-src": ["'none'"], "img-src": ["'none'"], "font-src": ["'none'"]}


@login_required
@csp_replace(SVG_POLICY)
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def chart(request: HttpRequest, association_id: int, year: int) -> HttpResponse:
    fy = _year(request, association_id, year)
    figures = selectors.year_figures(user=request.user, finance_year=fy)
    svg = charts.budget_vs_actual_svg(
        [i.name for i in figures.interventions],
        [i.budget for i in figures.interventions],
        [i.actual for i in figures.interventions],
        title=_("Budget och utfall per insats %(year)s") % {"year": year},
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _export_event(request: HttpRequest, fy: Any, kind: str) -> None:
    record_event(actor=request.user, action=Action.EXPORT, obj=fy,
                 association=fy.association_id, details={"format": kind, "year": fy.year})


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def export_xlsx(request: HttpRequest, association_id: int, year: int) -> HttpResponse:
    fy = _year(request, association_id, year)
    figures = selectors.year_figures(user=request.user, finance_year=fy)
    _export_event(request, fy, "xlsx")
    response = HttpResponse(
        exports.xlsx(figures),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ekonomi-{association_id}-{year}.xlsx"'
    return response


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def export_pdf(request: HttpRequest, association_id: int, year: int) -> HttpResponse:
    fy = _year(request, association_id, year)
    figures = selectors.year_figures(user=request.user, finance_year=fy)
    html = render_to_string("finance/report_pdf.html", {
        "association": fy.association, "fy": fy, "f": figures,
        "sections": exports.sections(figures), "generated": timezone.localdate(),
    }, request=request)
    _export_event(request, fy, "pdf")
    response = HttpResponse(exports.pdf(html, request.build_absolute_uri("/")),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ekonomi-{association_id}-{year}.pdf"'
    return response



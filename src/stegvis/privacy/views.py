"""Pages for data-subject rights and legal holds. Thin: forms parse, services write, selectors
read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stegvis.access.personal_data import personal_data
from stegvis.lib import personnummer as pnr
from stegvis.lib.views import act, show_service_errors, submit
from stegvis.participants.forms import error_links
from stegvis.participants.selectors import require_officer
from stegvis.privacy import selectors, services
from stegvis.privacy.forms import ExtractForm, HoldByIdForm, HoldForm
from stegvis.privacy.pdf import extract_pdf

GET_POST = require_http_methods(["GET", "POST"])


@personal_data
@login_required
@GET_POST
def extract(request: HttpRequest) -> HttpResponse:
    """Registerutdrag: the number is posted (never in a URL); the answer is a PDF."""
    form = ExtractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = selectors.register_extract(
                user=request.user, personnummer=form.cleaned_data["personnummer"]
            )
        except pnr.PersonnummerError as exc:
            form.add_error("personnummer", f"Personnummer: {exc.message}")
        else:
            response = HttpResponse(extract_pdf(data), content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="registerutdrag.pdf"'
            return response
    else:
        require_officer(user=request.user)
    return render(
        request, "privacy/extract.html", {"form": form, "error_links": error_links(form)},
        status=400 if form.errors else 200,
    )


@login_required
@GET_POST
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Legal hold of one participation: place one, see and release the holds."""
    participation = selectors.participation_for_hold(user=request.user, pk=pk)
    form = HoldForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.legal_hold_place(
            actor=request.user, participation=participation,
            reason=form.cleaned_data.get("reason") or "",
        ),
        success=_("Deltagandet bevaras nu och gallras inte."),
        redirect_to=lambda _result: redirect("privacy:hold", pk=participation.pk),
    ):
        return response
    return render(
        request,
        "privacy/hold.html",
        {
            "participation": participation,
            "holds": selectors.holds_of(participation=participation),
            "form": form,
            "error_links": error_links(form),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.hold_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.legal_hold_release(actor=request.user, hold=found),
        success=_("Bevarandebeslutet är hävt."),
        redirect_to=lambda _result: redirect("privacy:hold", pk=found.participation_id),
        on_error=lambda: redirect("privacy:hold", pk=found.participation_id),
    )


@login_required
@GET_POST
def association_holds(request: HttpRequest, association_id: int) -> HttpResponse:
    """A förbundsadministratör's list of active holds, and a hold placed by participation id."""
    association, holds = selectors.active_holds(user=request.user, association_id=association_id)
    form = HoldByIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participation = selectors.participation_for_hold(
                user=request.user, pk=form.cleaned_data["participation"]
            )
            if participation.intervention.association_id != association.pk:
                raise Http404
            services.legal_hold_place(
                actor=request.user, participation=participation,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        except Http404:
            form.add_error(
                "participation", _("Deltagande-id: inget sådant deltagande i förbundet.")
            )
        else:
            messages.success(request, _("Deltagandet bevaras nu och gallras inte."))
            return redirect("privacy:association_holds", association_id=association_id)
    return render(
        request,
        "privacy/association_holds.html",
        {"holds": holds, "form": form, "error_links": error_links(form),
         "association": association},
        status=400 if form.errors else 200,
    )

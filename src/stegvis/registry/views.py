"""Pages of register matching: order a cohort export, import a register holder's answer.
Thin: forms parse, services write (and check the role), selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.lib.views import show_service_errors
from stegvis.participants.forms import error_links
from stegvis.registry import selectors, services
from stegvis.registry.forms import NATIONAL, ExportForm, ImportForm

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@GET_POST
def index(request: HttpRequest) -> HttpResponse:
    choices = selectors.export_scopes(user=request.user)
    if not choices:
        raise PermissionDenied
    form = ExportForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        association = None if data["scope"] == NATIONAL else scope.get_association(
            request.user, int(data["scope"]), Capability.MANAGE_ASSOCIATION)
        try:
            result = services.cohort_export(
                actor=request.user, association=association, recipient=data["recipient"],
                public_key=data["public_key"], purpose=data["purpose"],
                legal_basis=data["legal_basis"],
            )
        except PermissionDenied:
            form.add_error(None, _("Kohortexport kräver rollen förbundsadministratör med "
                                   "tvåstegsinloggning, eller systemadministratör för hela "
                                   "landet."))
        except ValidationError as e:
            show_service_errors(form, e)
        else:
            response = HttpResponse(result.ciphertext, content_type="application/octet-stream")
            response["Content-Disposition"] = (
                f'attachment; filename="kohortexport-{result.export.pk}.age"')
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "registry/index.html", {
        "form": form, "error_links": error_links(form),
        "exports": selectors.exports_for(user=request.user)[:50],
    }, status=400 if form.errors else 200)


@login_required
@GET_POST
def import_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    export = selectors.export_get(user=request.user, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    text = None
    if request.method == "POST" and form.is_valid():
        text = form.text()
    if text is not None:
        try:
            if "commit" in request.POST:
                services.outcome_import(actor=request.user, export=export, text=text,
                                        destroy_keys=form.cleaned_data["destroy_keys"])
                messages.success(request, _("Registeruppgifterna är importerade."))
                return redirect("registry:index")
            preview = services.outcome_preview(actor=request.user, export=export, text=text)
        except PermissionDenied:
            form.add_error(None, _("Din roll får inte importera registeruppgifter."))
        except ValidationError as e:
            for message in e.message_dict.get("file", e.messages):
                form.add_error("file", message)
    return render(request, "registry/import.html", {
        "export": export, "form": form, "error_links": error_links(form), "preview": preview,
        "content": text if preview is not None and preview.ok else "",
    }, status=400 if form.errors or (preview and not preview.ok) else 200)

"""Code list pages: systemadministratör only; everyone else is refused (403, audited)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stegvis.codelists import services
from stegvis.codelists.forms import CodeCreateForm, CodeRetireForm
from stegvis.lib.views import submit
from stegvis.reference import selectors
from stegvis.reference.models import CodeList


def _overview_url(code_list: str) -> str:
    return f"{reverse('reference:code_lists')}#lista-{code_list}"


@login_required
def code_lists(request: HttpRequest) -> HttpResponse:
    services.require_code_list_admin(request.user)
    return render(
        request,
        "reference/code_lists.html",
        {"lists": selectors.code_lists_overview(), "today": selectors.today()},
    )


@login_required
def code_add(request: HttpRequest, code_list: str) -> HttpResponse:
    services.require_code_list_admin(request.user)
    if code_list not in CodeList.values:
        raise Http404
    list_label = CodeList(code_list).label
    form = CodeCreateForm(request.POST or None, code_list=code_list)
    if response := submit(
        request,
        form,
        lambda: services.code_create(actor=request.user, list=code_list, **form.service_kwargs()),
        success=lambda code: _("Koden %(label)s har lagts till i %(list)s.")
                             % {"label": code.label, "list": list_label},
        redirect_to=lambda _result: redirect(_overview_url(code_list)),
    ):
        return response
    return render(
        request,
        "reference/code_form.html",
        {"form": form, "code_list": code_list, "list_label": list_label},
    )


@login_required
def code_retire(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_code_list_admin(request.user)
    code = selectors.code_by_pk(pk)
    if code is None:
        raise Http404
    form = CodeRetireForm(request.POST or None, initial={"valid_to": code.valid_to})
    if response := submit(
        request,
        form,
        lambda: services.code_retire(
            actor=request.user, code=code, valid_to=form.cleaned_data["valid_to"]
        ),
        success=lambda _result: _("Koden %(label)s gäller till och med %(date)s.")
                                % {"label": code.label, "date": code.valid_to.isoformat()},
        redirect_to=lambda _result: redirect(_overview_url(code.list)),
    ):
        return response
    return render(
        request,
        "reference/code_retire.html",
        {"form": form, "code": code, "list_label": CodeList(code.list).label},
    )

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stegvis.associations import selectors


@login_required
def association_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "associations/association_list.html",
        {"associations": selectors.association_list(user=request.user)},
    )


@login_required
def association_detail(request: HttpRequest, pk: int) -> HttpResponse:
    association = selectors.association_get(user=request.user, pk=pk)
    return render(request, "associations/association_detail.html", {"association": association})

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stegvis.web import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: what the signed-in user may work with, per role and förbund."""
    return render(request, "web/home.html", {"start": selectors.start_page(user=request.user)})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/accessibility.html",
        {"contact": settings.STEGVIS_ACCESSIBILITY_CONTACT},
    )

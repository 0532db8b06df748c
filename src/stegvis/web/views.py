from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stegvis.web import selectors


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 page that names whom to ask (a förbundsadministratör is not sent to themself)."""
    return render(
        request,
        "403.html",
        {"ask_system_admin": selectors.asks_system_admin(user=request.user)},
        status=403,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: what the signed-in user may work with, per role and förbund."""
    return render(request, "web/home.html", {"start": selectors.start_page(user=request.user)})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/accessibility.html",
        {"contact": settings.STEGVIS_ACCESSIBILITY_CONTACT},
    )

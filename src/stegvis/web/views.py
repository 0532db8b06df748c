from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stegvis.access import scope
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


@login_required
@require_POST
def choose_association(request: HttpRequest) -> HttpResponse:
    """The header's förbund switcher (a plain form): the menu is now for the chosen förbund.

    It leads to the start page: the page the user was on may belong to the other förbund.
    """
    try:
        association_id = int(request.POST.get("association", ""))
    except ValueError:
        association_id = None
    if association_id not in scope.grants(request.user).by_association:
        raise Http404
    request.session[selectors.CURRENT_ASSOCIATION_KEY] = association_id
    return redirect("web:home")


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    """Links to what the user administers: förbund, users, code lists."""
    links = selectors.administration(user=request.user)
    if not links.national and not links.associations:
        raise PermissionDenied
    return render(request, "web/administration.html", {"links": links})


# When the accessibility statement was last checked against the service: update it with the text.
ACCESSIBILITY_REVIEWED = dt.date(2026, 12, 1)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/accessibility.html",
        {"contact": settings.STEGVIS_ACCESSIBILITY_CONTACT, "reviewed": ACCESSIBILITY_REVIEWED},
    )

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from stegvis.web import selectors
from stegvis.web.navigation import Area, area_of

# The overview page of each area: the menu item's own page, even when the menu links the
# current förbund's page of the area.
AREA_OVERVIEWS = frozenset({
    "participants:index", "interventions:index", "finance:index", "indicators:index",
    "audit:list", "web:administration", "access:account",
})


def stegvis(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "STEGVIS_DEMO": settings.STEGVIS_DEMO,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    nav = selectors.navigation(
        user=user, requested=request.session.get(selectors.CURRENT_ASSOCIATION_KEY)
    )
    match = request.resolver_match
    area = area_of(match.namespace, match.url_name or "") if match else None
    context["nav"] = nav
    context["nav_area"] = area
    # The breadcrumbs' second step: the area's page, unless this page is that page.
    item = next((i for i in nav.items if i.area == area), None)
    view_name = match.view_name if match else ""
    if item is not None and item.url.split("?")[0] != request.path and (
        view_name not in AREA_OVERVIEWS
    ):
        context["nav_crumb"] = item
    elif area is Area.ACCOUNT and view_name not in AREA_OVERVIEWS:
        context["nav_crumb"] = selectors.MenuItem(
            area, str(selectors.AREA_LABELS[area]), reverse("access:account")
        )
    return context

"""Pages that htmx updates in place: one region swapped, the whole page without JavaScript.

A page marks a region (``<div id="…" hx-target="this" hx-swap="outerHTML">``) whose form
(``hx-get … hx-push-url="true"``) and page links (``hx-boost="true"``) ask for the same URL as
without JavaScript. The view renders the region's own template for htmx's request and the full
page for every other request, including htmx's history restore after a cache miss.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_region(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def render_page_or_region(
    request: HttpRequest,
    page_template: str,
    region_template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    template = region_template if wants_region(request) else page_template
    response = render(request, template, context, status=status)
    # The same URL answers with a page or a region: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response

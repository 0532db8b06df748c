"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

Authentication: a personal API key (``Authorization: Bearer ...``) or the browser session;
session POSTs need the CSRF token as usual. Errors are JSON ``{"code", "message"}``, see
``stegvis.api.errors``.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.security import django_auth

from stegvis.api import errors
from stegvis.api.auth import bearer


class StegvisAPI(NinjaAPI):
    """NinjaAPI whose every answer is JSON: a wrong method (405) and an unknown path (404) too."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = errors.json_errors(self, pattern.callback)
        urls.append(re_path(r"^.*$", errors.not_found_view(self)))
        return urls


api = StegvisAPI(
    title="Stegvis API",
    version="1",
    description="Stegvis: uppföljning för samordningsförbund. Alla svar är avgränsade till "
    "den inloggade användarens behörighet.",
    auth=[bearer, django_auth],
    urls_namespace="api",
)
errors.register(api)

api.add_router("/me/", "stegvis.api.me.router")
api.add_router("/associations/", "stegvis.associations.api.router")
api.add_router("/interventions/", "stegvis.interventions.api.router")
api.add_router("/participations/", "stegvis.participants.api.router")
api.add_router("/", "stegvis.indicators.api.router")

"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

Authentication: a personal API key (``Authorization: Bearer ...``) or the browser session;
session POSTs need the CSRF token as usual. Errors are JSON ``{"code", "message"}``, see
``stegvis.api.errors``.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from stegvis.api import errors
from stegvis.api.auth import bearer

api = NinjaAPI(
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

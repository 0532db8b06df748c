"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Stegvis API",
    version="1",
    description="Stegvis: uppföljning för samordningsförbund. Alla svar är avgränsade till "
    "den inloggade användarens behörighet.",
    auth=[django_auth],
    urls_namespace="api",
)

api.add_router("/associations/", "stegvis.associations.api.router")

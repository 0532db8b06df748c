"""API authentication: a personal API key as a Bearer token, besides the session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from stegvis.access import services
from stegvis.access.middleware import has_totp, needs_two_factor


class ApiKeyBearer(HttpBearer):
    """``Authorization: Bearer stg_<prefix>.<secret>`` (keys are created under /konto/api-nycklar/).

    The owner acts with their own roles. A key of a user whose role requires two-factor is
    refused until that user has two-factor again.
    """

    openapi_description = "Personlig API-nyckel från Stegvis (sidan API-nycklar)."

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = services.api_token_authenticate(key=token)
        if user is None:
            return None
        if needs_two_factor(user) and not has_totp(user):
            return None
        request.user = user
        return user


bearer = ApiKeyBearer()

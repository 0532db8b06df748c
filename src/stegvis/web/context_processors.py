from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def stegvis(request: HttpRequest) -> dict[str, Any]:
    return {
        "STEGVIS_DEMO": settings.STEGVIS_DEMO,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
    }

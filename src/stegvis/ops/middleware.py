"""One structured log line per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from stegvis.access import scope
from stegvis.ops.logs import redact_path

logger = logging.getLogger("stegvis.request")

# Load balancers ask these every few seconds; a healthy answer is logged at DEBUG only.
_HEALTH_PATHS = frozenset({"/healthz", "/readyz"})


class RequestLogMiddleware:
    """Log each request once: request id, user id, förbund, method, redacted path, status, ms.

    Must come after ``RequestIdMiddleware`` (which sets the id) and before everything else,
    so that the duration covers the whole request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        user_id = user.pk if getattr(user, "is_authenticated", False) else None
        level = logging.INFO
        if response.status_code >= 500:
            level = logging.ERROR
        elif request.path in _HEALTH_PATHS and response.status_code == 200:
            level = logging.DEBUG
        path = redact_path(request.path)
        logger.log(
            level,
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "request_id": getattr(request, "request_id", ""),
                "user_id": user_id,
                "association_id": _association_id(request, user),
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


def _association_id(request: HttpRequest, user: Any) -> int | None:
    """The förbund the request was about: from the URL, else the user's only förbund."""
    match = getattr(request, "resolver_match", None)
    if match is not None and isinstance(match.kwargs.get("association_id"), int):
        return match.kwargs["association_id"]
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        grants = scope.grants(user)
    except DatabaseError:
        return None
    if not grants.national and len(grants.by_association) == 1:
        return next(iter(grants.by_association))
    return None

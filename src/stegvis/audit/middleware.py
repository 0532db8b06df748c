from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from stegvis.audit import context


class RequestIdMiddleware:
    """Give each request an id (kept in audit events and sent back as ``X-Request-ID``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = str(uuid.uuid4())
        token = context.request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = rid
        return response

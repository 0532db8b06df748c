from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from stegvis.audit import context
from stegvis.audit.redaction import contains_identifier

# An id a proxy or client may send (nginx' $request_id, a UUID, ...). It must fit the audit
# field and can never look like a personnummer; otherwise Stegvis makes its own.
_INCOMING = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,35}")


def request_id_for(incoming: str | None) -> str:
    """The incoming ``X-Request-ID`` if well-formed, else a new one."""
    if incoming and _INCOMING.fullmatch(incoming) and not contains_identifier(incoming):
        return incoming
    while True:
        rid = str(uuid.uuid4())
        if not contains_identifier(rid):  # e.g. "19730610-7405-…" would be redacted in logs
            return rid


class RequestIdMiddleware:
    """Give each request an id (kept in audit events and logs, sent back as ``X-Request-ID``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_for(request.headers.get("X-Request-ID"))
        token = context.request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = rid
        return response

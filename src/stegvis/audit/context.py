"""The current request's id, so every audit event of one request can be tied together."""

from __future__ import annotations

import contextvars

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("stegvis_request_id", default="")

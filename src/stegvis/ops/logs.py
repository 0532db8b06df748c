"""Log records as one JSON object per line, with the request id, and never a personnummer.

Redaction is by shape (see ``redact``): every formatted message, argument and traceback
passes through it, so a personnummer a client puts in a URL (``/deltagare/197306107405/``)
is not echoed by Django's own "Not Found" line either. No Django imports: the formatter is
also used for gunicorn's own log (``stegvis.ops.gunicorn_config``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from stegvis.audit import context

# 10 or 12 digits, optionally with - or + before the last four: the shapes of a personnummer
# (and of samordningsnummer). Over-redacting another long number in a log line is harmless.
_IDENTIFIER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
REDACTED = "[personnummer]"

# Attributes every LogRecord has; anything else was passed as ``extra=`` and is logged.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime", "taskName"}
# Passed by Django with its request logs; objects, not data for a log line.
_SKIPPED = frozenset({"request", "server_time"})


def redact(text: str) -> str:
    """``text`` with every personnummer-shaped number replaced."""
    return _IDENTIFIER.sub(REDACTED, text)


def redact_path(path: str) -> str:
    """A URL path for a log line: no query string, personnummer-like segments replaced."""
    return redact(path.split("?", 1)[0])


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(str(value))


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being served (if any)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = context.request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", ...extra, "traceback"}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ).replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in _SKIPPED and not key.startswith("_"):
                if key == "request_id" and not value:
                    continue  # not logged while serving a request
                entry[key] = _value(value)
        if record.exc_info:
            entry["traceback"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["traceback"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """Human-readable lines for development, redacted the same way."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", "")
        if request_id:
            text = f"{text} [request {request_id}]"
        return redact(text)

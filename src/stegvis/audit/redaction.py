"""Guard: personnummer-like strings never enter audit details. Pure: no Django imports.

The guard redacts; it never raises. Anything shaped like a personnummer (10 or 12 digits,
optionally ``-`` or ``+`` before the last four) is replaced by :data:`MASK` wherever it occurs
in the details or the reason, keys included. That covers ordinary text that merely looks like a
number of that shape (a phone number in an insats name), so such text can never turn a write
into a server error; the boundaries (forms, API schemas) refuse text that is a valid
personnummer before it gets this far (docs/adr/0005-one-rule-module-and-redacting-guard.md).
"""

from __future__ import annotations

import logging
import re
from typing import Any

logger = logging.getLogger("stegvis.audit")

# 10 or 12 digits, optionally with - or + before the last four: the shapes of a personnummer.
_IDENTIFIER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
MASK = "[nummer dolt]"


def contains_identifier(text: str) -> bool:
    return bool(_IDENTIFIER.search(text))


def _redact(value: Any) -> tuple[Any, bool]:
    if isinstance(value, str):
        clean, count = _IDENTIFIER.subn(MASK, value)
        return clean, bool(count)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        changed = False
        for k, v in value.items():
            key, key_changed = _redact(k) if isinstance(k, str) else (k, False)
            out[key], value_changed = _redact(v)
            changed = changed or key_changed or value_changed
        return out, changed
    if isinstance(value, list | tuple | set):
        items = [_redact(v) for v in value]
        return [v for v, _c in items], any(c for _v, c in items)
    return value, False


def redact(value: Any) -> Any:
    """A copy of ``value`` with every personnummer-shaped string replaced by :data:`MASK`.

    A redaction is logged (without the value) so that a caller that hands over such text can
    be found and fixed; the write itself goes ahead.
    """
    clean, changed = _redact(value)
    if changed:
        logger.warning("Redacted personnummer-shaped text from an audit event.")
    return clean

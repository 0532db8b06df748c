"""Guard: personnummer-like strings never enter audit details. Pure: no Django imports."""

from __future__ import annotations

import re
from typing import Any

# 10 or 12 digits, optionally with - or + before the last four: the shapes of a personnummer.
_IDENTIFIER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")


class IdentifierInAuditDetails(ValueError):
    """Raised when code tries to put something shaped like a personnummer in an audit event."""


def contains_identifier(text: str) -> bool:
    return bool(_IDENTIFIER.search(text))


def assert_no_identifiers(value: Any) -> None:
    if isinstance(value, str):
        if contains_identifier(value):
            raise IdentifierInAuditDetails("audit text contains a personal identifier")
    elif isinstance(value, dict):
        for k, v in value.items():
            assert_no_identifiers(str(k))
            assert_no_identifiers(v)
    elif isinstance(value, list | tuple | set):
        for v in value:
            assert_no_identifiers(v)

"""Pure rules of follow-ups after the end: closure groups, tokens and masking. No Django imports.

- A follow-up closed without a measurement carries a code of the list ``followup_closure``.
  For the reports' coverage the codes fall into two groups: *declined* (``avbojt``) and *not
  reached* (every other code: ej nådd, avliden, flyttat utomlands, annat skäl).
- A one-time link holds a random token of 256 bits (``secrets.token_urlsafe(32)``); only its
  SHA-256 is stored, so a copy of the database gives no usable link.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Final

CLOSURE_DECLINED: Final = "avbojt"
GROUP_DECLINED: Final = "declined"
GROUP_NOT_REACHED: Final = "not_reached"
TOKEN_BYTES: Final = 32  # 256 bits
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def closure_group(reason_key: str) -> str:
    """``declined`` or ``not_reached`` for the reports' coverage."""
    return GROUP_DECLINED if reason_key == CLOSURE_DECLINED else GROUP_NOT_REACHED


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """Hex SHA-256 of a token (the only form in which a token is stored)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def looks_like_token(value: str) -> bool:
    return bool(_TOKEN_RE.match(value or ""))


def normalise_email(value: str) -> str | None:
    value = (value or "").strip()
    if not value or len(value) > 254 or not _EMAIL_RE.match(value):
        return None
    return value


def normalise_mobile(value: str) -> str | None:
    """A Swedish mobile number as ``+467XXXXXXXX``, or ``None`` if it is not one."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+46"):
        digits = "0" + digits[3:]
    elif digits.startswith("0046"):
        digits = "0" + digits[4:]
    if not re.fullmatch(r"07\d{8}", digits):
        return None
    return "+46" + digits[1:]


def mask_email(value: str) -> str:
    """``a***@e***.se``: enough to recognise, not to write to."""
    local, _at, domain = value.partition("@")
    name, dot, tld = domain.rpartition(".")
    return f"{local[:1]}***@{name[:1]}***{dot}{tld}"


def mask_mobile(value: str) -> str:
    """``07X-*** ** 12`` for ``+467X......12``."""
    national = "0" + value[3:] if value.startswith("+46") else value
    return f"{national[:3]}-*** ** {national[-2:]}"

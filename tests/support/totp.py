"""TOTP helper on top of allauth.mfa: the code an authenticator app shows now (tests only).

The ``otpauth://`` URI for a secret is ``access.services.totp_uri``.
"""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings


def current_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret`` (base32)."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


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



def lasting_code(secret: str, seconds: float = 8.0) -> str:
    """A code still valid ``seconds`` from now: waits for the next period when the current one
    ends sooner. Browser sign-ins type and submit the code through a live server, which on a
    loaded machine can take seconds; a code read just before the period turns would then be
    refused (allauth accepts only the current period), and the test fail for no reason."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    left = period - time.time() % period
    if left < seconds:
        time.sleep(left + 0.05)
    return current_code(secret)

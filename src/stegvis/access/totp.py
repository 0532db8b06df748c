"""TOTP helpers on top of allauth.mfa: the current code (tests, demo) and the otpauth:// URI."""

from __future__ import annotations

import time

from allauth.mfa.adapter import get_adapter
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings


def current_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret`` (base32)."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def otpauth_uri(user: object, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app (or ``oathtool``) accepts."""
    return get_adapter().build_totp_url(user, secret)

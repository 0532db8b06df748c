"""allauth adapters: no self sign-up, audit of sign-in events, two-factor kept where required.

Sign-in events are audited from allauth's adapter hooks rather than from signals (the house
rule keeps domain writes out of signals): ``login`` runs once every stage of a sign-in
(password, then two-factor) is complete, ``authentication_failed`` after a wrong user name or
password. Wrong two-factor codes are audited by ``stegvis.access.views.MfaAuthenticateView``.
Tests that use ``Client.force_login`` therefore produce no LOGIN events.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from stegvis.access import services
from stegvis.lib import crypto


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        methods = sorted(
            {str(r.get("method", "")) for r in get_authentication_records(request, user)} - {""}
        )
        services.login_record(user=user, method="+".join(methods) or "password")

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """No second password prompt while setting up two-factor right after sign-in.

        A deltagaransvarig is sent to set up TOTP straight after signing in (and then shown
        the recovery codes); asking for the password again there only confuses. The exemption
        needs a password sign-in in this session within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``
        and no authenticator older than that sign-in; later changes still ask again.
        """
        request = context.request
        user = getattr(request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            now = time.time()
            recent = [
                float(r.get("at", 0))
                for r in get_authentication_records(request, user)
                if r.get("method") == "password"
                and now - float(r.get("at", 0)) < account_settings.REAUTHENTICATION_TIMEOUT
            ]
            if recent:
                signed_in_at = datetime.fromtimestamp(max(recent), tz=UTC)
                older = Authenticator.objects.filter(user=user, created_at__lt=signed_in_at)
                if not older.exists():
                    return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        username = credentials.get("username") or credentials.get("login")
        services.login_failed_record(username=username, stage="password")


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor secrets are stored encrypted with the identity key ring (not SECRET_KEY)."""

    def get_totp_label(self, user: Any) -> str:
        return user.get_username()

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A user whose role requires two-factor may not switch off the authenticator app."""
        from stegvis.access.middleware import needs_two_factor

        if authenticator.type == Authenticator.Type.TOTP and needs_two_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)

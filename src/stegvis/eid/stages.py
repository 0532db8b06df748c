"""allauth's two-factor sign-in step, skipped after an e-legitimation at LoA3 or above."""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage as MfaAuthenticateStage
from django.http import HttpRequest

from stegvis.access import eid_session as session


class AuthenticateStage(MfaAuthenticateStage):
    def _should_handle(self, request: HttpRequest) -> bool:
        if self.login.user is not None and session.strong_for(request, self.login.user):
            return False
        return super()._should_handle(request)

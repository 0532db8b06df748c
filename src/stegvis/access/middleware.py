from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from stegvis.access import scope

# Paths a user without two-factor may still reach: sign-in, sign-out, two-factor setup, assets.
_OPEN_PREFIXES = ("/konto/", "/static/", "/tillganglighet/")


class RequireTwoFactorMiddleware:
    """Users holding a role that can see personal data must set up TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and needs_two_factor(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def needs_two_factor(user: object) -> bool:
    required = set(settings.STEGVIS_MFA_REQUIRED_ROLES)
    return any(role.value in required for role in scope.grants(user).all_roles())

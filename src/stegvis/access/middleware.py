from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from stegvis.access import eid_session, scope
from stegvis.access.roles import TWO_FACTOR_ROLES

# Paths a user without two-factor may still reach: sign-in and sign-out, confirming the
# password again, setting up two-factor, assets and the accessibility statement. Everything
# else under /konto/ (user administration, API keys) needs two-factor too.
_OPEN_PREFIXES = (
    "/konto/login/",
    "/konto/logout/",
    "/konto/reauthenticate/",
    "/konto/inactive/",
    "/konto/2fa/",
    "/konto/nytt-losenord/",  # a temporary password is replaced first (first_sign_in)
    "/static/",
    "/tillganglighet/",
)


class RequireTwoFactorMiddleware:
    """Users holding a role that sees personal data or manages accounts must set up TOTP
    before anything else.

    allauth then asks for the code at every sign-in of a user who has TOTP, so "has TOTP"
    means "signed in with two factors" (Django's admin sign-in is not mounted).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and needs_two_factor(user)
            and not has_totp(user)
            and not eid_session.satisfies_two_factor(request)  # e-legitimation at LoA3+
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "two_factor_required",
                        "message": _(
                            "Din roll kräver tvåfaktorsautentisering. Aktivera en "
                            "autentiseringsapp innan du använder API:et."
                        ),
                    },
                    status=403,
                )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_two_factor(user: Any) -> bool:
    """The user holds a role that must sign in with two factors (always TWO_FACTOR_ROLES,
    plus any role the operator adds in STEGVIS_MFA_REQUIRED_ROLES)."""
    required = {r.value for r in TWO_FACTOR_ROLES} | set(settings.STEGVIS_MFA_REQUIRED_ROLES)
    return any(role.value in required for role in scope.grants(user).all_roles())

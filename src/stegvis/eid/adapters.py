"""allauth adapters for sign-in with e-legitimation (OIDC and SAML 2.0).

An e-legitimation only signs in as an account an administrator has created and recorded the
identity for (:mod:`stegvis.eid.models`): nobody signs up, and nothing is connected
automatically by e-mail. allauth's ``SocialAccount`` rows are never written, so the asserted
identity is stored nowhere but encrypted in ``EidIdentity``; the ``uid`` allauth keeps in the
session for the sign-in is replaced by the blind index before the login goes on.
"""

from __future__ import annotations

from typing import Any, NoReturn

from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base.constants import AuthProcess
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stegvis.access import eid_session as session
from stegvis.access import scope
from stegvis.access import services as access_services
from stegvis.access.adapters import AccountAdapter as BaseAccountAdapter
from stegvis.eid import identifiers, refusals, selectors, services
from stegvis.eid.config import Provider, is_strong
from stegvis.lib.crypto import blind_index

_MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"


class AccountAdapter(BaseAccountAdapter):
    """Stegvis' account adapter, plus: two factors by e-legitimation, passwords switched off."""

    def get_login_stages(self) -> list[str]:
        return [
            "stegvis.eid.stages.AuthenticateStage" if path == _MFA_STAGE else path
            for path in super().get_login_stages()
        ]

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        if not settings.STEGVIS_LOCAL_PASSWORDS:
            access_services.login_failed_record(
                username=credentials.get("username") or credentials.get("login"),
                stage="password_disabled",
            )
            raise forms.ValidationError(
                _("Inloggning med lösenord är avstängd. Logga in med e-legitimation.")
            )
        super().pre_authenticate(request, **credentials)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """No password prompt for setting up the first authenticator app right after an
        e-legitimation sign-in (below LoA3, or where the role asks for the app anyway): the
        user may have no password at all."""
        request = context.request
        user = getattr(request, "user", None)
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and session.signed_in_with_eid(request)
            and not Authenticator.objects.filter(user=user).exists()
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def configured_provider(protocol: str) -> Provider | None:
    return settings.STEGVIS_EID.provider(protocol)


def _protocol(sociallogin: SocialLogin) -> str:
    return "saml" if sociallogin.account.provider == "saml" else "oidc"


def _assertion(
    protocol: str, extra_data: dict[str, Any], provider: Provider
) -> tuple[str | None, list[str]]:
    """(identity value, asserted assurance levels) from what allauth received."""
    if protocol == "oidc":
        id_token = extra_data.get("id_token") or {}
        claims = {**id_token, **(extra_data.get("userinfo") or {})}
        value = claims.get(provider.identity_attribute)
        acr = id_token.get("acr")
        return (str(value) if value else None), ([acr] if acr else [])
    values = (extra_data.get("attributes") or {}).get(provider.identity_attribute) or []
    return (str(values[0]) if values else None), list(extra_data.get("authn_contexts") or [])


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def _refuse(
        self, request: HttpRequest, provider: str, reason: str, user: Any = None
    ) -> NoReturn:
        services.signin_refused_record(provider=provider, reason=reason, user=user)
        raise ImmediateHttpResponse(refusal_response(request, reason))

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        protocol = _protocol(sociallogin)
        provider = configured_provider(protocol)
        slug = sociallogin.account.provider
        extra_data = dict(sociallogin.account.extra_data or {})
        # Nothing the IdP sent stays on the allauth objects (they reach the session).
        sociallogin.account.extra_data = {}
        sociallogin.account.uid = "-"
        if provider is None or sociallogin.state.get("process") != AuthProcess.LOGIN:
            # Only sign-in: identities are recorded by administrators, never "connected".
            self._refuse(request, slug, refusals.FAILED)
        value, levels = _assertion(protocol, extra_data, provider)
        if not value:
            self._refuse(request, slug, refusals.MISSING_IDENTITY)
        try:
            normalised = identifiers.normalise(provider.identity_kind, value or "")
        except identifiers.IdentifierError:
            self._refuse(request, slug, refusals.MISSING_IDENTITY)
        sociallogin.account.uid = blind_index(
            identifiers.index_input(provider.identity_kind, normalised)
        )
        user = selectors.user_for_identity(kind=provider.identity_kind, normalised=normalised)
        if user is None:
            self._refuse(request, slug, refusals.UNKNOWN_USER)
        if not user.is_active:
            self._refuse(request, slug, refusals.INACTIVE, user)
        if not scope.grants(user).all_roles():
            self._refuse(request, slug, refusals.NO_ROLE, user)
        sociallogin.user = user
        session.mark_signed_in(
            request, user=user, provider=slug, strong=is_strong(levels, settings.STEGVIS_EID)
        )

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        reason = refusals.classify(error=error, exception=exception, context=extra_context or {})
        slug = getattr(provider, "sub_id", "") or getattr(provider, "id", "")
        self._refuse(request, slug, reason)


def refusal_response(request: HttpRequest, reason: str) -> HttpResponse:
    """The Swedish page shown for a refused e-legitimation sign-in."""
    return render(
        request,
        "eid/refused.html",
        {"message": _(refusals.MESSAGES[reason])},
        status=200 if reason == refusals.CANCELLED else 403,
    )

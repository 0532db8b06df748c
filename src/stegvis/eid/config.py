"""E-legitimation settings read from the environment. Pure: no Django imports.

``settings.py`` calls :func:`from_env` once; the result decides which sign-in buttons the
sign-in page shows, which attribute identifies a user, and which assurance levels count as two
factors. :func:`socialaccount_providers` turns it into django-allauth's
``SOCIALACCOUNT_PROVIDERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

OIDC_SLUG = "eid-oidc"
SAML_SLUG = "eid-saml"

PERSONNUMMER = "personnummer"
HSA_ID = "hsa_id"
IDENTITY_KINDS = (PERSONNUMMER, HSA_ID)

# Swedish eID framework (Sweden Connect / DIGG) levels of assurance at LoA3 or above.
DEFAULT_STRONG_LEVELS = (
    "http://id.elegnamnden.se/loa/1.0/loa3",
    "http://id.elegnamnden.se/loa/1.0/loa4",
    "http://id.elegnamnden.se/loa/1.0/eidas-sub",
    "http://id.elegnamnden.se/loa/1.0/eidas-high",
    "http://id.swedenconnect.se/loa/1.0/uncertified-loa3",
)
DEFAULT_OIDC_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
DEFAULT_SAML_ATTRIBUTE = "urn:oid:1.2.752.29.6.2.1"  # HSA-id (SITHS eID)

# Every variable this module reads (for the registry of known STEGVIS_* variables).
ENV_VARIABLES = (
    "STEGVIS_LOCAL_PASSWORDS",
    "STEGVIS_EID_STRONG_LEVELS",
    "STEGVIS_OIDC_ISSUER",
    "STEGVIS_OIDC_CLIENT_ID",
    "STEGVIS_OIDC_CLIENT_SECRET",
    "STEGVIS_OIDC_NAME",
    "STEGVIS_OIDC_SCOPES",
    "STEGVIS_OIDC_ACR_VALUES",
    "STEGVIS_OIDC_IDENTITY_CLAIM",
    "STEGVIS_OIDC_IDENTITY_KIND",
    "STEGVIS_SAML_IDP_ENTITY_ID",
    "STEGVIS_SAML_IDP_SSO_URL",
    "STEGVIS_SAML_IDP_X509CERT",
    "STEGVIS_SAML_IDP_METADATA_URL",
    "STEGVIS_SAML_SP_ENTITY_ID",
    "STEGVIS_SAML_SP_X509CERT",
    "STEGVIS_SAML_SP_PRIVATE_KEY",
    "STEGVIS_SAML_NAME",
    "STEGVIS_SAML_IDENTITY_ATTRIBUTE",
    "STEGVIS_SAML_IDENTITY_KIND",
)

Env = Callable[[str], "str | None"]


class EidConfigError(ValueError):
    """A misconfigured e-legitimation variable (the message names the variable)."""


@dataclass(frozen=True)
class Provider:
    """One configured identity provider: ``protocol`` is ``oidc`` or ``saml``."""

    protocol: str
    slug: str
    name: str
    identity_kind: str
    identity_attribute: str
    allauth_settings: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class EidConfig:
    providers: tuple[Provider, ...] = ()
    strong_levels: frozenset[str] = frozenset(DEFAULT_STRONG_LEVELS)

    def provider(self, protocol: str) -> Provider | None:
        return next((p for p in self.providers if p.protocol == protocol), None)


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _kind(env: Env, name: str, default: str) -> str:
    value = (env(name) or default).strip()
    if value not in IDENTITY_KINDS:
        raise EidConfigError(f"{name} must be one of {', '.join(IDENTITY_KINDS)}")
    return value


def _required(env: Env, name: str, because: str) -> str:
    value = (env(name) or "").strip()
    if not value:
        raise EidConfigError(f"{name} must be set when {because} is set")
    return value


def _oidc(env: Env) -> Provider | None:
    issuer = (env("STEGVIS_OIDC_ISSUER") or "").strip()
    if not issuer:
        return None
    scopes = _list(env("STEGVIS_OIDC_SCOPES")) or ["openid", "profile"]
    acr_values = _list(env("STEGVIS_OIDC_ACR_VALUES"))
    app: dict[str, Any] = {
        "provider_id": OIDC_SLUG,
        "name": env("STEGVIS_OIDC_NAME") or "Freja eID / BankID",
        "client_id": _required(env, "STEGVIS_OIDC_CLIENT_ID", "STEGVIS_OIDC_ISSUER"),
        "secret": _required(env, "STEGVIS_OIDC_CLIENT_SECRET", "STEGVIS_OIDC_ISSUER"),
        "settings": {
            "server_url": issuer,
            "token_auth_method": "client_secret_post",
            "oauth_pkce_enabled": True,
            "scope": scopes,
            "auth_params": {"acr_values": " ".join(acr_values)} if acr_values else {},
        },
    }
    return Provider(
        protocol="oidc",
        slug=OIDC_SLUG,
        name=app["name"],
        identity_kind=_kind(env, "STEGVIS_OIDC_IDENTITY_KIND", PERSONNUMMER),
        identity_attribute=env("STEGVIS_OIDC_IDENTITY_CLAIM") or DEFAULT_OIDC_CLAIM,
        allauth_settings={"APPS": [app]},
    )


def _saml(env: Env) -> Provider | None:
    metadata_url = (env("STEGVIS_SAML_IDP_METADATA_URL") or "").strip()
    entity_id = (env("STEGVIS_SAML_IDP_ENTITY_ID") or "").strip()
    if not metadata_url and not entity_id:
        return None
    if metadata_url:
        idp: dict[str, Any] = {"entity_id": entity_id, "metadata_url": metadata_url}
    else:
        idp = {
            "entity_id": entity_id,
            "sso_url": _required(env, "STEGVIS_SAML_IDP_SSO_URL", "STEGVIS_SAML_IDP_ENTITY_ID"),
            "x509cert": _required(
                env, "STEGVIS_SAML_IDP_X509CERT", "STEGVIS_SAML_IDP_ENTITY_ID"
            ),
        }
    attribute = env("STEGVIS_SAML_IDENTITY_ATTRIBUTE") or DEFAULT_SAML_ATTRIBUTE
    app_settings: dict[str, Any] = {
        "idp": idp,
        "attribute_mapping": {"uid": [attribute]},
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "want_attribute_statement": True,
            "reject_idp_initiated_sso": True,
        },
    }
    sp_entity_id = (env("STEGVIS_SAML_SP_ENTITY_ID") or "").strip()
    if sp_entity_id:
        app_settings["sp"] = {"entity_id": sp_entity_id}
    sp_cert = (env("STEGVIS_SAML_SP_X509CERT") or "").strip()
    sp_key = (env("STEGVIS_SAML_SP_PRIVATE_KEY") or "").strip()
    if sp_cert and not sp_key:
        _required(env, "STEGVIS_SAML_SP_PRIVATE_KEY", "STEGVIS_SAML_SP_X509CERT")
    if sp_key and not sp_cert:
        _required(env, "STEGVIS_SAML_SP_X509CERT", "STEGVIS_SAML_SP_PRIVATE_KEY")
    if sp_cert:  # sign the AuthnRequests (the Swedish eID framework expects it)
        app_settings["advanced"].update(
            x509cert=sp_cert, private_key=sp_key, authn_request_signed=True
        )
    name = env("STEGVIS_SAML_NAME") or "SITHS eID"
    app = {"client_id": SAML_SLUG, "name": name, "settings": app_settings}
    return Provider(
        protocol="saml",
        slug=SAML_SLUG,
        name=name,
        identity_kind=_kind(env, "STEGVIS_SAML_IDENTITY_KIND", HSA_ID),
        identity_attribute=attribute,
        allauth_settings={
            "APPS": [app],
            "provider_class": "stegvis.eid.providers.EidSAMLProvider",
        },
    )


def from_env(env: Env) -> EidConfig:
    providers = tuple(p for p in (_oidc(env), _saml(env)) if p is not None)
    strong = _list(env("STEGVIS_EID_STRONG_LEVELS"))
    return EidConfig(
        providers=providers,
        strong_levels=frozenset(strong) if strong else frozenset(DEFAULT_STRONG_LEVELS),
    )


def socialaccount_providers(config: EidConfig) -> dict[str, Any]:
    """django-allauth's ``SOCIALACCOUNT_PROVIDERS`` for ``config``."""
    result: dict[str, Any] = {
        # The SAML provider class is replaced even without a SAML IdP so that it is the same
        # class whenever allauth builds its URL map.
        "saml": {"provider_class": "stegvis.eid.providers.EidSAMLProvider"},
    }
    for provider in config.providers:
        key = "openid_connect" if provider.protocol == "oidc" else "saml"
        result[key] = {**result.get(key, {}), **provider.allauth_settings}
    return result


def is_strong(levels: list[str] | tuple[str, ...], config: EidConfig) -> bool:
    """True when any of the asserted ``levels`` is at LoA3 or above."""
    return any(level in config.strong_levels for level in levels)


def form_action_origins(config: EidConfig) -> list[str]:
    """Origins the sign-in buttons' POST is redirected to (the IdPs), for the CSP
    ``form-action`` directive: browsers apply it to the redirect after a form too."""
    origins: list[str] = []
    for provider in config.providers:
        app_settings = provider.allauth_settings["APPS"][0]["settings"]
        if provider.protocol == "oidc":
            url = app_settings["server_url"]
        else:
            idp = app_settings["idp"]
            url = idp.get("sso_url") or idp["metadata_url"]
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins

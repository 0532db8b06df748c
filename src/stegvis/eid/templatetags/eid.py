from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


def _url(protocol: str, slug: str) -> str:
    if protocol == "oidc":
        return reverse("openid_connect_login", kwargs={"provider_id": slug})
    return reverse("saml_login", kwargs={"organization_slug": slug})


@register.inclusion_tag("eid/login_options.html", takes_context=True)
def eid_login_options(context: Any) -> dict[str, Any]:
    """Buttons for the configured e-legitimation services on the sign-in page."""
    request = context.get("request")
    return {
        "providers": [
            {"name": p.name, "url": _url(p.protocol, p.slug)}
            for p in settings.STEGVIS_EID.providers
        ],
        "next": request.GET.get("next", "") if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def eid_configured() -> bool:
    return bool(settings.STEGVIS_EID.providers)


@register.simple_tag
def local_passwords() -> bool:
    return bool(settings.STEGVIS_LOCAL_PASSWORDS)

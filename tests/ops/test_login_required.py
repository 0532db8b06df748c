"""Sign-in is required by default: every view in the URL map, except an explicit allow-list,
sends an anonymous visitor to the sign-in page. A new view is covered without being listed."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

# Views an anonymous visitor may reach, by URL name. Everything not listed must redirect.
PUBLIC = {
    # sign-in and its steps (allauth marks its views @login_not_required)
    "account_login", "account_logout", "account_signup", "account_inactive",
    "account_confirm_email", "account_email_verification_sent", "account_confirm_login_code",
    "account_reset_password_done", "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "access:mfa_authenticate", "access:password_reset",
    # first sign-in with a one-time activation code from an administrator
    "access:activate",
    # health checks for load balancers
    "ops:healthz", "ops:readyz",
    # the accessibility statement (tillgänglighetsredogörelse) must be readable by anyone
    "web:accessibility",
    # a participant answers a follow-up through a one-time link, without an account
    "followup:answer", "followup:thanks", "followup:declined",
    # sign-in with e-legitimation (allauth's OIDC/SAML endpoints; no self sign-up: the adapter
    # refuses it, see tests/eid)
    "socialaccount_login_cancelled", "socialaccount_signup",
    "openid_connect_login", "openid_connect_callback",
    "saml_login", "saml_acs", "eid:saml_finish_acs", "saml_metadata", "saml_sls",
}
# The token-authenticated API answers JSON 401 itself (never a redirect to a sign-in page).
API_NAMESPACE = "api"
# The API's own documentation (OpenAPI document and its viewer) is public, as before.
API_PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}

SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


def _fill(pattern: URLPattern | URLResolver) -> str:
    if isinstance(pattern.pattern, RoutePattern):
        route = pattern.pattern._route
        for name, converter in pattern.pattern.converters.items():
            kind = {"IntConverter": "int", "UUIDConverter": "uuid", "SlugConverter": "slug",
                    "PathConverter": "path"}.get(type(converter).__name__, "str")
            route = route.replace(f"<{kind}:{name}>", SAMPLE[kind]).replace(
                f"<{name}>", SAMPLE["str"]
            )
        assert "<" not in route, f"unfilled placeholder in {route}"
        return route
    assert isinstance(pattern.pattern, RegexPattern)
    return _fill_regex(pattern.pattern._regex)


def _fill_regex(regex: str) -> str:
    import re

    text = regex.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "x", text)
    text = text.replace(".*", "x")  # a catch-all (the API's JSON 404)
    assert not re.search(r"[()\[\]*+?\\]", text), f"cannot fill {regex}"
    return text


def url_map() -> list[tuple[str, str]]:
    """Every (path, url name) in the project, with sample values for the placeholders."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + _fill(pattern), ns)
            else:
                name = pattern.name or ""
                full_name = f"{namespace}:{name}" if namespace and name else name
                found.append(("/" + prefix + _fill(pattern), full_name))

    walk(get_resolver().url_patterns, "", "")
    return found


URLS = url_map()
PATHS = sorted({path for path, _ in URLS})


def test_the_url_map_is_walked():
    names = {name for _, name in URLS}
    assert {"web:home", "participants:detail", "ops:healthz", "account_login"} <= names
    assert len(URLS) > 60


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_visitor_is_sent_to_sign_in_unless_explicitly_public(db, path):
    match = resolve(path)
    name = match.view_name  # the pattern that really answers this path
    response = Client().get(path)
    if name in PUBLIC or name in API_PUBLIC:
        assert getattr(match.func, "login_required", True) is False, (
            f"{name} is on the allow-list but not marked @login_not_required"
        )
        assert response.status_code != 500
        return
    if name.startswith(f"{API_NAMESPACE}:"):
        assert response.status_code in {401, 404, 405}, (path, response.status_code)
        if response.status_code == 401:
            assert response["Content-Type"].startswith("application/json")
            assert response.json()["code"] == "not_authenticated"
        return
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert response["Location"].startswith("/konto/login/?next="), response["Location"]


def test_api_without_credentials_gets_json_401_not_a_redirect(db):
    response = Client().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "Location" not in response


def test_a_new_view_without_a_decision_is_not_public(db, settings):
    """The default protects a view whose author forgot @login_required."""
    from django.urls import path as url

    def forgotten(request):
        from django.http import HttpResponse

        return HttpResponse("personal data")

    import sys
    import types

    from django.urls import include

    module = types.ModuleType("forgotten_urls")
    module.urlpatterns = [url("forgotten/", forgotten), url("", include("stegvis.urls"))]

    sys.modules["forgotten_urls"] = module
    settings.ROOT_URLCONF = "forgotten_urls"
    try:
        response = Client().get("/forgotten/")
    finally:
        del sys.modules["forgotten_urls"]
    assert response.status_code == 302
    assert b"personal data" not in response.content

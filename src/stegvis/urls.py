from django.urls import URLPattern, URLResolver, include, path

from stegvis.api.api import api

handler403 = "stegvis.web.views.permission_denied"

# Sign-in is required everywhere (LoginRequiredMiddleware) unless a view is explicitly marked
# with @login_not_required: sign-in pages (allauth's), /healthz, /readyz, the accessibility
# statement and the API below. tests/ops/test_login_required.py walks this map to prove it.


def token_authenticated(
    urls: tuple[list[URLPattern | URLResolver], str, str],
) -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API authenticates each operation itself (API key or session) and answers JSON 401,
    so the middleware must not redirect it to the sign-in page."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # what @login_not_required sets
    return patterns, app_name, namespace


urlpatterns = [
    path("", include("stegvis.web.urls")),
    path("", include("stegvis.ops.urls")),
    path("forbund/", include("stegvis.associations.urls")),
    path("insatser/", include("stegvis.interventions.urls")),
    path("deltagare/", include("stegvis.participants.urls")),
    path("", include("stegvis.followup.urls")),
    path("rapporter/", include("stegvis.indicators.urls")),
    path("ekonomi/", include("stegvis.finance.urls")),
    path("granskning/", include("stegvis.audit_review.urls")),
    path("integritet/", include("stegvis.privacy.urls")),
    path("registermatchning/", include("stegvis.registry.urls")),
    path("kodlistor/", include("stegvis.codelists.urls")),
    path("konto/", include("stegvis.access.urls")),
    path("konto/", include("stegvis.eid.urls")),
    path("konto/", include("allauth.urls")),
    path("api/v1/", token_authenticated(api.urls)),
]

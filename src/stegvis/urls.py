from django.urls import include, path

from stegvis.api.api import api

handler403 = "stegvis.web.views.permission_denied"

urlpatterns = [
    path("", include("stegvis.web.urls")),
    path("forbund/", include("stegvis.associations.urls")),
    path("insatser/", include("stegvis.interventions.urls")),
    path("deltagare/", include("stegvis.participants.urls")),
    path("", include("stegvis.followup.urls")),
    path("rapporter/", include("stegvis.indicators.urls")),
    path("ekonomi/", include("stegvis.finance.urls")),
    path("granskning/", include("stegvis.audit.urls")),
    path("integritet/", include("stegvis.privacy.urls")),
    path("kodlistor/", include("stegvis.reference.urls")),
    path("konto/", include("stegvis.access.urls")),
    path("konto/", include("stegvis.eid.urls")),
    path("konto/", include("allauth.urls")),
    path("api/v1/", api.urls),
]

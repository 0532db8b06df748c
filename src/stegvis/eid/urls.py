from django.urls import path

from stegvis.eid import views

app_name = "eid"
urlpatterns = [
    path("forbund/<int:association_id>/anvandare/<int:user_id>/e-legitimation/",
         views.member_identities, name="member_identities"),
    path("forbund/<int:association_id>/anvandare/<int:user_id>/e-legitimation/ta-bort/",
         views.member_identity_remove, name="member_identity_remove"),
    # Replaces allauth's SAML ACS finish step at the same address (included before allauth).
    path("saml/<slug:organization_slug>/acs/finish/", views.saml_finish_acs,
         name="saml_finish_acs"),
]

from django.urls import path

from stegvis.access import national_views, views

app_name = "access"
urlpatterns = [
    path("", views.account_home, name="account"),
    # Replaces allauth's two-factor step at the same address (this module is included first):
    # wrong codes count towards the lockout.
    path("2fa/authenticate/", views.mfa_authenticate, name="mfa_authenticate"),
    # Stegvis sends no e-mail: a forgotten password is reset by an administrator.
    path("password/reset/", views.password_reset_unavailable, name="password_reset"),
    path("aktivera/", views.activate, name="activate"),
    path("nytt-losenord/", national_views.password_change_required,
         name="password_change_required"),
    path("forbund/<int:association_id>/anvandare/", views.association_users,
         name="association_users"),
    path("forbund/<int:association_id>/anvandare/ny/", views.user_create, name="user_create"),
    path("forbund/<int:association_id>/anvandare/<int:user_id>/", views.association_user,
         name="association_user"),
    path("forbund/<int:association_id>/anvandare/<int:user_id>/ta-bort-roll/",
         views.role_revoke, name="role_revoke"),
    path("forbund/<int:association_id>/anvandare/<int:user_id>/ny-inloggning/",
         views.access_reset, name="access_reset"),
    path("nationella-roller/", national_views.national_roles, name="national_roles"),
    path("nationella-roller/<int:user_id>/ta-bort/", national_views.national_role_revoke,
         name="national_role_revoke"),
    path("api-nycklar/", views.api_tokens, name="api_tokens"),
    path("api-nycklar/<int:pk>/aterkalla/", views.api_token_revoke, name="api_token_revoke"),
]

from django.urls import path

from stegvis.associations import views

app_name = "associations"
urlpatterns = [
    path("", views.association_list, name="list"),
    path("nytt/", views.association_create, name="create"),
    path("organisationer/ny/", views.organisation_create, name="organisation_create"),
    path("<int:pk>/", views.association_detail, name="detail"),
    path("<int:pk>/andra/", views.association_edit, name="edit"),
    path("<int:pk>/omrade/", views.area_edit, name="area"),
    path("<int:pk>/fordelningsnyckel/", views.funding_key_edit, name="funding_key"),
    path("<int:pk>/kommundelar/befolkning/", views.district_population_edit,
         name="district_population"),
    path("<int:pk>/medlemskap/nytt/", views.membership_add, name="membership_add"),
    path(
        "<int:pk>/medlemskap/<int:membership_pk>/avsluta/",
        views.membership_end,
        name="membership_end",
    ),
]

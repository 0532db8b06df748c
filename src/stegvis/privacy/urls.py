from django.urls import path

from stegvis.privacy import views

app_name = "privacy"
urlpatterns = [
    path("registerutdrag/", views.extract, name="extract"),
    path("bevarande/<int:pk>/", views.hold, name="hold"),
    path("bevarande/hav/<int:pk>/", views.release, name="release"),
    path("forbund/<int:association_id>/bevarande/", views.association_holds,
         name="association_holds"),
]

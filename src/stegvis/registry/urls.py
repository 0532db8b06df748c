from django.urls import path

from stegvis.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/import/", views.import_outcomes, name="import"),
]

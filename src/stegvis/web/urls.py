from django.urls import path

from stegvis.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]

from django.urls import path

from stegvis.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("forbundsval/", views.choose_association, name="choose_association"),
    path("administration/", views.administration, name="administration"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]

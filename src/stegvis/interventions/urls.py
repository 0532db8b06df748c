from django.urls import path

app_name = "interventions"
urlpatterns: list = []

from django.urls import path

from stegvis.associations import views

app_name = "associations"
urlpatterns = [
    path("", views.association_list, name="list"),
    path("<int:pk>/", views.association_detail, name="detail"),
]

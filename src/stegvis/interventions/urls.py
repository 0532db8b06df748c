from django.urls import path

from stegvis.interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.index, name="index"),
    path("forbund/<int:association_id>/", views.association_list, name="list"),
    path("forbund/<int:association_id>/ny/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/budget/", views.year, name="year"),
    path("<int:pk>/deltagaransvariga/", views.assignments, name="assignments"),
    path(
        "<int:pk>/deltagaransvariga/<int:user_id>/ta-bort/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("<int:pk>/volym/", views.volume, name="volume"),
    path("<int:pk>/volym/<int:count_pk>/andra/", views.volume_edit, name="volume_edit"),
    path("<int:pk>/volym/<int:count_pk>/ta-bort/", views.volume_remove, name="volume_remove"),
    path("<int:pk>/anonyma/", views.anonymous, name="anonymous"),
]

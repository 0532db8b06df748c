from django.urls import path

from stegvis.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.index, name="index"),
    path("sok/", views.search, name="search"),
    path("fragor/<int:association_id>/", views.questions, name="questions"),
    path("insats/<int:pk>/", views.intervention_participants, name="intervention"),
    path("insats/<int:pk>/registrera/", views.register, name="register"),
    path("insats/<int:pk>/anonym/", views.anonymous_add, name="anonymous"),
    path("<int:pk>/", views.participation_detail, name="detail"),
    path("<int:pk>/visa-personnummer/", views.reveal, name="reveal"),
    path("<int:pk>/avsluta/", views.end, name="end"),
    path("<int:pk>/matning/", views.measure, name="measure"),
    path("<int:pk>/felregistrering/", views.mark_error, name="mark_error"),
    path("<int:pk>/aterkalla-samtycke/", views.withdraw, name="withdraw"),
    path("matning/<int:pk>/ratta/", views.correct, name="correct"),
    path("<int:pk>/egen-referens/", views.reference, name="reference"),
    path("<int:pk>/byt-deltagaransvarig/", views.coach_move, name="coach_move"),
    path("<int:pk>/byt-insats/", views.intervention_move, name="intervention_move"),
]

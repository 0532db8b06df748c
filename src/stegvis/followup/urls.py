from django.urls import path

from stegvis.followup import views

app_name = "followup"
urlpatterns = [
    # the deltagaransvarig's worklist, under the participant pages' path
    path("deltagare/uppfoljning/", views.worklist, name="worklist"),
    path("svar/tack/", views.thanks, name="thanks"),
    path("svar/avbojt/", views.declined, name="declined"),
    path("svar/<str:token>/", views.answer, name="answer"),
    path("uppfoljning/forbund/<int:pk>/horisonter/", views.horizons, name="horizons"),
    path("uppfoljning/deltagande/<int:pk>/", views.overview, name="overview"),
    path("uppfoljning/deltagande/<int:pk>/kontakt/", views.contact, name="contact"),
    path("uppfoljning/deltagande/<int:pk>/kontakt/radera/", views.erase_contact,
         name="erase_contact"),
    path("uppfoljning/deltagande/<int:pk>/<str:occasion>/avsluta/", views.close, name="close"),
    path("uppfoljning/deltagande/<int:pk>/<str:occasion>/brev/", views.letter, name="letter"),
]

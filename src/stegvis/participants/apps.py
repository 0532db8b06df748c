from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "stegvis.participants"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "stegvis.access"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "stegvis.reference"
    default_auto_field = "django.db.models.BigAutoField"

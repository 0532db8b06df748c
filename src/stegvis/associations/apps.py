from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "stegvis.associations"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class CodelistsConfig(AppConfig):
    name = "stegvis.codelists"
    label = "codelists"
    default_auto_field = "django.db.models.BigAutoField"

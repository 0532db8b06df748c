from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "stegvis.registry"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Registermatchning"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "stegvis.registry"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Registermatchning")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "stegvis.registry"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Registermatchning")

    def ready(self) -> None:
        # Withdrawn consent erases register keys and outcomes in the withdrawing service's
        # transaction, through the participants' erasure hook (ADR 0014).
        from stegvis.participants import hooks
        from stegvis.registry import services

        hooks.register_eraser(services.erase_for_participation, on=(hooks.WITHDRAWAL,))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Stegvis for real: health checks, request logs, the production server."""

    name = "stegvis.ops"
    label = "ops"
    verbose_name = _("Drift")

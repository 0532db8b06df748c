from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Stegvis for real: health checks, request logs, the production server."""

    name = "stegvis.ops"
    label = "ops"
    verbose_name = "Drift"

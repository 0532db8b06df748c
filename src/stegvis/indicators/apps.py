from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "stegvis.indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from stegvis.indicators import (
            checks,  # noqa: F401  (registers the system check)
            versions,
        )

        versions.connect()

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "stegvis.indicators"
    default_auto_field = "django.db.models.BigAutoField"

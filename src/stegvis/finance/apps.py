from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "stegvis.finance"
    default_auto_field = "django.db.models.BigAutoField"

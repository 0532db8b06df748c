from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "stegvis.demo"
    default_auto_field = "django.db.models.BigAutoField"

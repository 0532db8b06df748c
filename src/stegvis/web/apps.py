from django.apps import AppConfig
from django.utils.translation import gettext

from stegvis.lib import i18n


class WebConfig(AppConfig):
    name = "stegvis.web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The pure rule modules translate their messages through stegvis.lib.i18n.
        i18n.install(gettext)

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "stegvis.followup"
    verbose_name = "Uppföljning efter avslut"

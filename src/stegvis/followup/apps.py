from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "stegvis.followup"
    verbose_name = "Uppföljning efter avslut"

    def ready(self) -> None:
        from stegvis.followup import signals  # noqa: F401  (erase contacts at withdrawal)

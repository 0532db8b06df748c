from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "stegvis.followup"
    verbose_name = _("Uppföljning efter avslut")

    def ready(self) -> None:
        # participants sits below followup: it reads follow-up state and erases the contact
        # channel through the hooks filled here (ADR 0014).
        from stegvis.followup import selectors, services
        from stegvis.participants import hooks

        hooks.register_follow_up(selectors)
        hooks.register_eraser(
            services.erase_for_participation, on=(hooks.WITHDRAWAL, hooks.ERROR)
        )

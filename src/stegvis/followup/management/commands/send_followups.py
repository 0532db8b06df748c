"""Send the one-time follow-up links that are due, and the reminders (for cron/systemd).

Idempotent: a link is sent once per follow-up and a reminder once, however often it runs.
Contacts no longer needed are erased on the way.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stegvis.followup.services import send_due_links


class Command(BaseCommand):
    help = "Skickar engångslänkar och påminnelser för uppföljningar vars tidsfönster är öppet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--base-url", default=None,
            help="Adressen länkarna pekar på (standard: STEGVIS_PUBLIC_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_due_links(base_url=options["base_url"])
        self.stdout.write(
            _(
                "Skickade %(sent)s länkar och %(reminded)s påminnelser. Misslyckades: "
                "%(failed)s. Utan fungerande kontaktväg: %(no_channel)s. Raderade "
                "kontaktvägar: %(erased)s."
            )
            % {
                "sent": result.sent,
                "reminded": result.reminded,
                "failed": result.failed,
                "no_channel": result.no_channel,
                "erased": result.erased,
            }
        )
        if result.failed:
            self.stderr.write(_("Några utskick misslyckades; de försöks igen vid nästa körning."))

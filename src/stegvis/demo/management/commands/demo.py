"""``stegvis demo``: migrate, load the demo, print the sign-ins, serve."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stegvis.demo import generator


class Command(BaseCommand):
    help = "Förbereder demodatabasen (migrering, referensdata, demodata) och startar Stegvis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Förbered bara, starta inte.")
        parser.add_argument("--port", type=int, default=8000, help="Port (standard 8000).")
        parser.add_argument(
            "--participants-per-insats",
            type=int,
            default=generator.Scale.participants_per_intervention,
            help="Antal deltagare per insats med identifierad uppföljning.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.STEGVIS_DEMO:
            raise CommandError(
                _("Demodata får bara skapas när STEGVIS_DEMO är på (aldrig i produktion).")
            )
        call_command("migrate", interactive=False, verbosity=0)
        result = generator.build_demo(
            generator.Scale(participants_per_intervention=options["participants_per_insats"])
        )
        self.stdout.write(self.style.SUCCESS(result.summary()))
        self.stdout.write("")
        self.stdout.write(_("Demoinloggningar (användarnamn / lösenord / roll):"))
        for login in result.logins:
            self.stdout.write(f"  {login.username:<28} {login.password:<20} {login.description}")
            if login.totp_uri:
                self.stdout.write(f"  {'':<28} tvåfaktor: {login.totp_uri}")
        self.stdout.write("")
        if options["no_serve"]:
            return
        port = options["port"]
        self.stdout.write(
            _("Stegvis körs på http://127.0.0.1:%(port)s/  (avsluta med Ctrl+C)") % {"port": port}
        )
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)

"""``stegvis restore FILE``: restore a backup into the configured (empty) database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stegvis.privacy import backup


class Command(BaseCommand):
    help = (
        "Återläser en säkerhetskopia till den konfigurerade databasen, som måste vara tom "
        "(eller --force), och kontrollerar resultatet mot säkerhetskopians manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="säkerhetskopian")
        parser.add_argument(
            "--force", action="store_true",
            help="skriv över en databas som inte är tom (allt i den ersätts)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.restore(options["file"], force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        chain = report["fingerprint"]["audit_chain"]
        if report["matches"] is False:
            raise CommandError(
                _("Återläsningen stämmer INTE med säkerhetskopians manifest: %(tables)s")
                % {"tables": ", ".join(report["differs"])}
            )
        checked = _("kontrollerad mot manifestet")
        if report["matches"] is None:
            checked = _("manifest saknas, inte kontrollerad")
        self.stdout.write(
            _(
                "Återläst: %(file)s (%(checked)s; %(events)s granskningshändelser, "
                "skydd: %(guard)s)."
            )
            % {
                "file": options["file"],
                "checked": checked,
                "events": chain["events"],
                "guard": ", ".join(report["fingerprint"]["audit_guard"]) or _("SAKNAS"),
            }
        )
        if not report["fingerprint"]["audit_guard"]:
            raise CommandError(
                _("Granskningsloggens skydd mot ändring saknas efter återläsningen.")
            )

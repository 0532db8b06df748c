"""``stegvis backup FILE``: a restorable copy of the database plus its manifest (ADR 0007)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stegvis.privacy import backup


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen till FIL (PostgreSQL: pg_dump, eget format; SQLite: "
        "onlinekopia) och skriver FIL.json med fingeravtryck för kontroll vid återläsning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="ny fil för säkerhetskopian")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.backup(options["file"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        chain = manifest["fingerprint"]["audit_chain"]
        tables = manifest["fingerprint"]["tables"]
        self.stdout.write(
            _(
                "Säkerhetskopia skriven: %(file)s (%(persons)s personer, %(participations)s "
                "deltaganden, %(events)s granskningshändelser)."
            )
            % {
                "file": options["file"],
                "persons": tables["participants.person"]["rows"],
                "participations": tables["participants.participation"]["rows"],
                "events": chain["events"],
            }
        )

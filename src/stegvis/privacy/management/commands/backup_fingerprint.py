"""``stegvis backup_fingerprint``: print the database's fingerprint (JSON), e.g. to compare."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stegvis.privacy import backup


class Command(BaseCommand):
    help = "Skriver databasens fingeravtryck (summor och antal, inga personuppgifter) som JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None,
            help="dag som nyckeltalen räknas per (ÅÅÅÅ-MM-DD; standard i dag)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(backup.fingerprint(options["today"]), sort_keys=True))

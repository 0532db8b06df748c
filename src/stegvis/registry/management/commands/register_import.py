"""``stegvis register_import``: preview (default) or import a register holder's outcome file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stegvis.registry import services
from stegvis.registry.management.commands._common import actor, messages
from stegvis.registry.models import CohortExport


class Command(BaseCommand):
    help = "Förhandsgranska eller importera registeruppgifter för en kohortexport."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="registerhållarens fil (CSV, UTF-8)")
        parser.add_argument("--export", type=int, required=True, help="kohortexportens nummer")
        parser.add_argument("--user", required=True, help="användarnamnet på den som importerar")
        parser.add_argument("--commit", action="store_true",
                            help="importera (annars bara förhandsgranskning)")
        parser.add_argument("--destroy-keys", action="store_true",
                            help="förstör nyckeltabellen efter importen")

    def handle(self, *args: Any, **options: Any) -> None:
        export = CohortExport.objects.filter(pk=options["export"]).first()
        if export is None:
            raise CommandError(_("Kohortexporten finns inte."))
        try:
            text = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise CommandError(_("Filen kan inte läsas som UTF-8-text.")) from None
        user = actor(options["user"])
        try:
            preview = services.outcome_preview(actor=user, export=export, text=text)
            if not preview.ok:
                raise CommandError(_("Filen importerades inte:") + "\n" + "\n".join(preview.errors))
            self.stdout.write(
                _("%(rows)s rader för %(people)s personer, månader: %(months)s.")
                % {
                    "rows": len(preview.rows),
                    "people": preview.people,
                    "months": ", ".join(preview.months),
                }
            )
            if not options["commit"]:
                self.stdout.write(_("Förhandsgranskning: inget har sparats (lägg till --commit)."))
                return
            imported = services.outcome_import(actor=user, export=export, text=text,
                                               destroy_keys=options["destroy_keys"])
        except (PermissionDenied, ValidationError) as e:
            raise CommandError(messages(e)) from None
        self.stdout.write(f"Registerimport {imported.pk}: {imported.row_count} rader importerade.")

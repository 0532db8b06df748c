"""``stegvis cohort_export``: a cohort file for a register holder, encrypted with age."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.registry import services
from stegvis.registry.management.commands._common import actor, messages


class Command(BaseCommand):
    help = "Skapa en krypterad kohortexport för registermatchning."

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--forbund", type=int, help="förbundets id")
        where.add_argument("--hela-landet", action="store_true", help="alla förbund")
        parser.add_argument("--user", required=True, help="användarnamnet på den som beställer")
        parser.add_argument("--recipient", required=True, help="mottagare, t.ex. SCB")
        parser.add_argument("--public-key", required=True, help="mottagarens age-nyckel (age1…)")
        parser.add_argument("--purpose", required=True, help="ändamål")
        parser.add_argument("--legal-basis", required=True, help="rättslig grund")
        parser.add_argument("--output", type=Path, required=True, help="ny fil (.age)")

    def handle(self, *args: Any, **options: Any) -> None:
        association = None
        if options["forbund"] is not None:
            association = Association.objects.filter(pk=options["forbund"]).first()
            if association is None:
                raise CommandError(_("Förbundet finns inte."))
        output: Path = options["output"]
        if output.exists():
            raise CommandError(_("Filen finns redan; välj ett nytt filnamn."))
        try:
            result = services.cohort_export(
                actor=actor(options["user"]), association=association,
                recipient=options["recipient"], public_key=options["public_key"],
                purpose=options["purpose"], legal_basis=options["legal_basis"],
            )
        except (PermissionDenied, ValidationError) as e:
            raise CommandError(messages(e)) from None
        output.write_bytes(result.ciphertext)
        self.stdout.write(f"Kohortexport {result.export.pk}: {result.export.row_count} rader, "
                          f"SHA-256 {result.export.checksum}.")

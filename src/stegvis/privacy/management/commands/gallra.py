"""``stegvis gallra``: erase what the deployment's retention rule says is due (ADR 0007)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stegvis.interventions.models import Intervention
from stegvis.privacy.services import gallra


class Command(BaseCommand):
    help = (
        "Gallrar identifierade deltaganden och granskningshändelser som passerat "
        "gallringsfristen. Kan köras varje dag; --dry-run visar bara vad som skulle gallras."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="visa vad som skulle gallras, ändra inget"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        r = gallra(dry_run=options["dry_run"])
        verb = "Skulle gallras" if r.dry_run else "Gallrat"
        self.stdout.write(
            f"Regel: deltaganden {r.participation_years} år efter avslut (avslutade före "
            f"{r.participation_cutoff.isoformat()}), granskningshändelser {r.audit_years} år "
            f"(före {r.audit_cutoff:%Y-%m-%d})."
        )
        names = dict(
            Intervention.objects.filter(pk__in=r.by_intervention).values_list("pk", "name")
        )
        for pk, n in sorted(r.by_intervention.items()):
            self.stdout.write(f"  insats {pk} {names.get(pk, '')}: {n} deltaganden")
        self.stdout.write(
            f"{verb}: {r.participations} deltaganden, {r.measurements} mätningar, "
            f"{r.persons} personer, {r.audit_events} granskningshändelser. "
            f"Stoppade av bevarandebeslut: {r.held}."
        )

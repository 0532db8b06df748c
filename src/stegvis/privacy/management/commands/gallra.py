"""``stegvis gallra``: erase what the deployment's retention rule says is due (ADR 0007)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

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
        verb = _("Skulle gallras") if r.dry_run else _("Gallrat")
        self.stdout.write(
            f"Regel: deltaganden {r.participation_years} år efter avslut (avslutade före "
            f"{r.participation_cutoff.isoformat()}), granskningshändelser {r.audit_years} år "
            f"(före {r.audit_cutoff:%Y-%m-%d})."
        )
        names = dict(
            Intervention.objects.filter(pk__in=r.by_intervention).values_list("pk", "name")
        )
        for pk, n in sorted(r.by_intervention.items()):
            self.stdout.write(
                _("  insats %(pk)s %(name)s: %(n)s deltaganden")
                % {"pk": pk, "name": names.get(pk, ""), "n": n}
            )
        self.stdout.write(
            _(
                "%(verb)s: %(participations)s deltaganden, %(measurements)s mätningar, "
                "%(persons)s personer, %(audit_events)s granskningshändelser. Stoppade "
                "av bevarandebeslut: %(held)s."
            )
            % {
                "verb": verb,
                "participations": r.participations,
                "measurements": r.measurements,
                "persons": r.persons,
                "audit_events": r.audit_events,
                "held": r.held,
            }
        )

"""Rebuild the indicators' fact table from participations and measurements, atomically."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stegvis.indicators.services import facts_rebuild


class Command(BaseCommand):
    help = "Bygger om indikatorernas faktatabell (i en transaktion)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = facts_rebuild(actor=None)
        self.stdout.write(_("Faktatabellen är ombyggd: %(count)s deltaganden.") % {"count": count})

"""``stegvis kommun_organisations``: give every kommun its member organisation (idempotent).

Run once after upgrading a deployment: förbund created since issue 11 get their kommuner's
organisations with them, and this fills in the rest, so that any kommun can become a member.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stegvis.associations.kommuner import kommun_organisations_ensure
from stegvis.associations.models import Organisation, PartyKind


class Command(BaseCommand):
    help = "Skapar medlemsorganisationen för varje kommun som saknar en (kan köras flera gånger)."

    def handle(self, *args: Any, **options: Any) -> None:
        before = Organisation.objects.filter(kind=PartyKind.KOMMUN).count()
        orgs = kommun_organisations_ensure(actor=None)
        created = len(orgs) - before
        self.stdout.write(
            _("%(kommuner)s kommuner har en medlemsorganisation (%(created)s nya).")
            % {"kommuner": len(orgs), "created": created}
        )

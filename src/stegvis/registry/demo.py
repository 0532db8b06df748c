"""One register import for the demo: a national cohort export by the systemadministratör,
encrypted for a throw-away key, answered with a deterministic synthetic register file for the
months 6, 12, 24 and 36 months after the end (those already passed), imported through the
services."""

from __future__ import annotations

import pyrage
from django.utils import timezone

from stegvis.lib.dates import add_months
from stegvis.registry import rules, services
from stegvis.registry.models import CohortExport, CohortMember

SUPPORT_CYCLE = ("", "sjukpenning", "", "ekonomiskt_bistand", "", "arbetsloshetsersattning", "")


def add_demo_register_import(*, actor: object) -> int:
    """Rows imported (0 when an export already exists)."""
    if CohortExport.objects.exists():
        return 0
    recipient = pyrage.x25519.Identity.generate().to_public()
    result = services.cohort_export(
        actor=actor, association=None, recipient="SCB (demo)", public_key=str(recipient),
        purpose="Demo: registermatchning av uppföljning",
        legal_basis="Demo: påhittade uppgifter, ingen verklig registerhållare",
    )
    today = timezone.localdate()
    lines = [";".join(rules.OUTCOME_COLUMNS)]
    members = CohortMember.objects.filter(export=result.export).select_related("participation")
    for m in members.order_by("participation_id"):
        end = m.participation.end_date
        if end is None:
            continue
        n = m.participation_id
        for k in rules.HORIZONS:
            month = rules.month_of(add_months(end, k))
            if month >= rules.month_of(today):
                continue
            support = SUPPORT_CYCLE[(n + k) % len(SUPPORT_CYCLE)]
            work = int((n * 7 + k) % 10 < 4)
            studies = int(not work and (n + k) % 5 == 0)
            lines.append(f"{m.key};{month:%Y-%m};{support};{work};{studies};{n % 3 == 0:d}")
    if len(lines) == 1:
        return 0
    imported = services.outcome_import(actor=actor, export=result.export,
                                       text="\n".join(lines) + "\n", destroy_keys=True)
    return imported.row_count

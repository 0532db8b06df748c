"""What the intervention services share: the permission check (and its guards for
``stegvis.lib.services.service``), the field checks and the audit snapshot of an insats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access import scope
from stegvis.access.roles import Capability
from stegvis.associations.models import Association, Membership, Organisation
from stegvis.interventions import domain
from stegvis.interventions.models import (
    Intervention,
)
from stegvis.lib.problems import Problem
from stegvis.reference.models import Code, CodeList


def _require_manage(actor: Any, association: Association) -> None:
    scope.require(actor, Capability.MANAGE_INTERVENTIONS, association)


def _manage_intervention(kwargs: dict[str, Any]) -> None:
    _require_manage(kwargs["actor"], kwargs["intervention"].association)


def _manage_association(kwargs: dict[str, Any]) -> None:
    _require_manage(kwargs["actor"], kwargs["association"])


def _member_ids(association: Association) -> set[int]:
    return set(
        Membership.objects.filter(association=association).values_list("organisation_id", flat=True)
    )


def _check_fields(
    *,
    association: Association,
    name: str,
    precise_orientation: Code | None,
    target_groups: Sequence[Code],
    organiser: Organisation | None,
    parties: Sequence[Organisation],
    controller: Organisation | None,
    start_date: dt.date | None,
    end_date: dt.date | None,
    description: str | None = None,
) -> list[Problem]:
    errors: list[Problem] = []
    today = timezone.localdate()
    errors += domain.text_errors(
        {"name": ("Namn", name), "description": ("Beskrivning", description)}, today=today
    )
    if not (name or "").strip():
        errors.append(Problem("name", _("Namn: ange insatsens namn.")))
    elif len(name.strip()) > 200:
        errors.append(Problem("name", _("Namn: högst 200 tecken.")))
    if precise_orientation is not None and precise_orientation.list != CodeList.PRECISE_ORIENTATION:
        errors.append(Problem("precise_orientation", _("Preciserad inriktning: okänd kod.")))
    if not target_groups:
        errors.append(Problem("target_groups", _("Målgrupper: välj minst en målgrupp.")))
    elif any(c.list != CodeList.TARGET_GROUP for c in target_groups):
        errors.append(Problem("target_groups", _("Målgrupper: okänd kod.")))
    members = _member_ids(association)
    if organiser is None:
        errors.append(Problem("organiser", _("Anordnare: välj den part som anordnar insatsen.")))
    elif organiser.pk not in members:
        errors.append(Problem("organiser", _("Anordnare: måste vara medlem i förbundet.")))
    if controller is None:
        errors.append(Problem("controller", _("Personuppgiftsansvarig: välj en organisation.")))
    elif controller.pk not in members:
        errors.append(
            Problem("controller", _("Personuppgiftsansvarig: måste vara medlem i förbundet."))
        )
    if any(p.pk not in members for p in parties):
        errors.append(
            Problem(
                "parties", _("Deltagande parter: alla parter måste vara medlemmar i förbundet.")
            )
        )
    kinds = [p.kind for p in parties] + ([organiser.kind] if organiser is not None else [])
    errors += domain.party_errors(kinds)
    errors += domain.date_errors(start_date, end_date, today=today)
    return errors


def _combination_errors(orientation: str, precise_orientation: Code | None) -> list[Problem]:
    """A precise orientation must refine the insats's own orientation."""
    if precise_orientation is None:
        return []
    return domain.combination_errors(
        orientation, precise_orientation.key, precise_orientation.label
    )


def _parties_with_organiser(
    parties: Iterable[Organisation], organiser: Organisation | None
) -> list[Organisation]:
    """The organiser always takes part: it is added to the parties if missing."""
    result = {p.pk: p for p in parties}
    if organiser is not None:
        result.setdefault(organiser.pk, organiser)
    return list(result.values())


def _snapshot(intervention: Intervention) -> dict[str, Any]:
    """Audit-safe description of an insats (ids and plain values only)."""
    return {
        "name": intervention.name,
        "description": intervention.description,
        "orientation": intervention.orientation,
        "precise_orientation": intervention.precise_orientation_id,
        "target_groups": sorted(intervention.target_groups.values_list("pk", flat=True)),
        "follow_up_method": intervention.follow_up_method,
        "esf_cofunded": intervention.esf_cofunded,
        "organiser": intervention.organiser_id,
        "parties": sorted(intervention.parties.values_list("pk", flat=True)),
        "start_date": intervention.start_date.isoformat() if intervention.start_date else None,
        "end_date": intervention.end_date.isoformat() if intervention.end_date else None,
        "controller": intervention.controller_id,
    }

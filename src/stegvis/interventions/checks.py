"""Every problem of an insats form at once.

The form types the input and the service validates it; a form with a missing or badly typed
field never reaches the service, so its rules (parties, membership, dates, orientation) would
only show on the next attempt. ``form_problems`` runs the service's rules on what the form
could read, for the fields the form has not already complained about. Reads only.
"""

from __future__ import annotations

from typing import Any

from stegvis.associations.models import Association
from stegvis.interventions import domain
from stegvis.interventions.models import Intervention
from stegvis.lib.problems import Problem


def form_problems(
    *,
    association: Association,
    data: dict[str, Any],
    intervention: Intervention | None = None,
) -> list[Problem]:
    """The service's rule errors for ``data`` (a form's partial ``cleaned_data``)."""
    from stegvis.interventions import services
    from stegvis.interventions.services import _common

    def get(field: str) -> Any:
        if field in data:
            return data[field]
        if intervention is not None and field in services.EDITABLE_FIELDS:
            value = getattr(intervention, field)
            return list(value.all()) if hasattr(value, "all") else value
        return None

    organiser = get("organiser")
    parties = _common._parties_with_organiser(get("parties") or [], organiser)
    errors = _common._check_fields(
        association=association,
        name=get("name") or "",
        precise_orientation=get("precise_orientation"),
        target_groups=list(get("target_groups") or []),
        organiser=organiser,
        parties=parties,
        controller=get("controller"),
        start_date=get("start_date"),
        end_date=get("end_date"),
        description=get("description"),
    )
    orientation = intervention.orientation if intervention is not None else data.get("orientation")
    precise = get("precise_orientation")
    if precise is not None:
        errors += domain.combination_errors(orientation, precise.key, precise.label)
    return errors


def add_to_form(form: Any, errors: list[Problem]) -> None:
    """Add rule errors for fields the form has not flagged (each message once)."""
    flagged = set(form.errors)
    for error in errors:
        field = error.field if error.field in form.fields else None
        if field is not None and field in flagged:
            continue
        if error.message in form.errors.get(field or "__all__", []):
            continue
        form.add_error(field, error.message)

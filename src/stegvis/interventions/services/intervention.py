"""Creating and changing an insats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Organisation
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions import domain
from stegvis.interventions.models import (
    FollowUpMethod,
    Intervention,
    Orientation,
)
from stegvis.interventions.services._common import (
    _check_fields,
    _combination_errors,
    _manage_association,
    _manage_intervention,
    _parties_with_organiser,
    _snapshot,
)
from stegvis.lib.errors import raise_problems
from stegvis.lib.problems import Problem
from stegvis.lib.services import service
from stegvis.reference.models import Code

EDITABLE_FIELDS = (
    "name",
    "description",
    "precise_orientation",
    "target_groups",
    "organiser",
    "parties",
    "start_date",
    "end_date",
    "controller",
)


@service(_manage_association)
def intervention_create(
    *,
    actor: Any,
    association: Association,
    name: str,
    orientation: str,
    follow_up_method: str,
    organiser: Organisation | None,
    parties: Iterable[Organisation],
    controller: Organisation | None,
    start_date: dt.date | None,
    target_groups: Iterable[Code] = (),
    description: str = "",
    precise_orientation: Code | None = None,
    esf_cofunded: bool = False,
    end_date: dt.date | None = None,
) -> Intervention:
    """Create an insats in ``association``. The organiser is always one of the parties."""
    target_groups = list(target_groups)
    all_parties = _parties_with_organiser(parties, organiser)
    errors: list[Problem] = []
    if orientation not in Orientation.values:
        errors.append(
            Problem(
                "orientation", _("Inriktning: välj individinriktad eller strukturövergripande.")
            )
        )
    if follow_up_method not in FollowUpMethod.values:
        errors.append(
            Problem(
                "follow_up_method", _("Uppföljningsmetod: välj identifierad, anonym eller volym.")
            )
        )
    errors += _check_fields(
        association=association,
        name=name,
        precise_orientation=precise_orientation,
        target_groups=target_groups,
        organiser=organiser,
        parties=all_parties,
        controller=controller,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    errors += _combination_errors(orientation, precise_orientation)
    raise_problems(errors)
    # _check_fields refuses a missing organiser, controller or start date.
    assert organiser is not None and controller is not None and start_date is not None
    intervention = Intervention.objects.create(
        association=association,
        name=name.strip(),
        description=description.strip(),
        orientation=orientation,
        precise_orientation=precise_orientation,
        follow_up_method=follow_up_method,
        esf_cofunded=bool(esf_cofunded),
        organiser=organiser,
        start_date=start_date,
        end_date=end_date,
        controller=controller,
    )
    intervention.target_groups.set(target_groups)
    intervention.parties.set(all_parties)
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=intervention,
        association=association,
        details=_snapshot(intervention),
    )
    return intervention


_UNSET: Any = object()


@service(_manage_intervention)
def intervention_update(*, actor: Any, intervention: Intervention, **changes: Any) -> Intervention:
    """Change an insats. Orientation, follow-up method and ESF co-funding are refused.

    ``changes`` holds any of the editable fields; passing a locked field with its current
    value is accepted (an API client may send the whole object).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(domain.IMMUTABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {f: [_("Fältet finns inte eller kan inte ändras.")] for f in sorted(unknown)}
        )
    current = {f: getattr(intervention, f) for f in domain.IMMUTABLE_FIELDS}
    raise_problems(domain.immutable_errors(current, changes))

    def value(field: str) -> Any:
        return changes.get(field, _UNSET)

    name = changes.get("name", intervention.name)
    target_groups = (
        list(changes["target_groups"])
        if "target_groups" in changes
        else list(intervention.target_groups.all())
    )
    organiser = changes.get("organiser", intervention.organiser)
    parties = _parties_with_organiser(
        changes["parties"] if "parties" in changes else intervention.parties.all(), organiser
    )
    new = {
        "name": name,
        "precise_orientation": changes.get("precise_orientation", intervention.precise_orientation),
        "organiser": organiser,
        "controller": changes.get("controller", intervention.controller),
        "start_date": changes.get("start_date", intervention.start_date),
        "end_date": changes.get("end_date", intervention.end_date),
    }
    raise_problems(
        _check_fields(
            association=intervention.association,
            target_groups=target_groups,
            parties=parties,
            description=changes.get("description"),
            **new,
        )
        + _combination_errors(intervention.orientation, new["precise_orientation"])
    )
    locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
    before = _snapshot(locked)
    locked.name = new["name"].strip()
    if value("description") is not _UNSET:
        locked.description = (changes["description"] or "").strip()
    locked.precise_orientation = new["precise_orientation"]
    locked.organiser = new["organiser"]
    locked.controller = new["controller"]
    locked.start_date = new["start_date"]
    locked.end_date = new["end_date"]
    locked.save()
    locked.target_groups.set(target_groups)
    locked.parties.set(parties)
    after = _snapshot(locked)
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        association=locked.association_id,
        details={"changes": changed},
    )
    return locked

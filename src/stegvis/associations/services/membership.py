"""Memberships of a förbund: adding an organisation and ending its membership.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from stegvis.associations.models import (
    AreaPart,
    Association,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.associations.services._common import (
    SharesInput,
    _check_period,
    _manage_check,
    _manage_membership_check,
)
from stegvis.associations.services._keys import (
    _current_state,
    _locked,
    _recheck_and_rekey,
    _rekey,
    _shares_detail,
    _triples,
)
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib.errors import Errors
from stegvis.lib.services import service


@service(_manage_check)
def membership_add(
    *,
    actor: Any,
    association: Association,
    organisation: Organisation,
    valid_from: dt.date | None,
    valid_to: dt.date | None = None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
) -> Membership:
    """Add a membership period; a kommun organisation's kommun joins the area if not in it."""
    association = _locked(association)
    errors = Errors()
    area, memberships = _current_state(association)
    if not _check_period(
        errors, organisation.name, valid_from, valid_to, association.founded, association.dissolved
    ):
        errors.raise_if_any()
    assert valid_from is not None
    new_area = list(area)
    added_to_area: str | None = None  # the kommun's code when joining adds it to the area
    code = organisation.municipality_id
    if organisation.kind == PartyKind.KOMMUN and code and code not in {c for c, _d in area}:
        new_area.append((code, ""))
        added_to_area = code
    triples = [*_triples(memberships), (organisation, valid_from, valid_to)]
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=new_area,
        memberships=triples,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    errors.raise_if_any()
    membership = Membership.objects.create(
        association=association,
        organisation=organisation,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if added_to_area is not None:
        AreaPart.objects.create(association=association, municipality_id=added_to_area)
    _rekey(association, shares, year)
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=membership,
        association=association,
        details={
            "organisation": organisation.pk,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else "",
            "added_to_area": added_to_area or "",
            "shares": _shares_detail(shares),
        },
    )
    return membership


@service(_manage_membership_check)
def membership_end(
    *,
    actor: Any,
    membership: Membership,
    valid_to: dt.date | None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
) -> Membership:
    """End a membership on ``valid_to`` (inclusive). A kommun's kommun leaves the area."""
    association = membership.association
    association = _locked(association)
    errors = Errors()
    if valid_to is None:
        errors.add("valid_to", gettext("Ange sista dag för medlemskapet."))
    elif valid_to < membership.valid_from:
        errors.add(
            "valid_to",
            gettext("Medlemskapet kan inte sluta före det började (%(date)s).")
            % {"date": membership.valid_from.isoformat()},
        )
    errors.raise_if_any()
    assert valid_to is not None
    area, memberships = _current_state(association)
    org = membership.organisation
    triples = [
        (m.organisation, m.valid_from, valid_to if m.pk == membership.pk else m.valid_to)
        for m in memberships
    ]
    new_area = area
    removed: list[str] = []
    if org.kind == PartyKind.KOMMUN:
        still_member = any(
            m.pk != membership.pk
            and m.organisation_id == org.pk
            and (m.valid_to is None or m.valid_to > valid_to)
            for m in memberships
        )
        if not still_member:
            new_area = [(c, d) for c, d in area if c != org.municipality_id]
            removed = [f"{c} {d}".strip() for c, d in area if c == org.municipality_id]
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=new_area,
        memberships=triples,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    errors.raise_if_any()
    before = membership.valid_to
    membership.valid_to = valid_to
    membership.save(update_fields=["valid_to"])
    if removed:
        AreaPart.objects.filter(
            association=association, municipality_id=org.municipality_id
        ).delete()
    _rekey(association, shares, year)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=membership,
        association=association,
        details={
            "organisation": org.pk,
            "valid_to_before": before.isoformat() if before else "",
            "valid_to": valid_to.isoformat(),
            "removed_from_area": removed,
            "shares": _shares_detail(shares),
        },
    )
    return membership

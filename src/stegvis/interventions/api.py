"""API for insatser: list, read, create and update; scoped exactly like the pages.

Organisations are given by id (they must be members of the förbund); målgrupper and preciserad
inriktning by their stable code key. Service errors are raised as ``ValidationError`` and turned
into 400 JSON by the API's global handlers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from stegvis.associations.models import Association
from stegvis.interventions import selectors, services
from stegvis.interventions.models import Intervention
from stegvis.lib.api_types import FreeText, PlausibleDate
from stegvis.lib.errors import Errors

router = Router(tags=["insatser"])


class InterventionOut(Schema):
    id: int
    association_id: int
    name: str
    description: str
    orientation: str
    precise_orientation: str | None
    target_groups: list[str]
    follow_up_method: str
    esf_cofunded: bool
    organiser_id: int
    party_ids: list[int]
    controller_id: int
    start_date: dt.date
    end_date: dt.date | None

    @staticmethod
    def resolve_precise_orientation(obj: Intervention) -> str | None:
        return obj.precise_orientation.key if obj.precise_orientation else None

    @staticmethod
    def resolve_target_groups(obj: Intervention) -> list[str]:
        return sorted(c.key for c in obj.target_groups.all())

    @staticmethod
    def resolve_party_ids(obj: Intervention) -> list[int]:
        return sorted(p.pk for p in obj.parties.all())


class InterventionCreateIn(Schema):
    association_id: int
    name: FreeText
    description: FreeText = ""
    orientation: str
    precise_orientation: str | None = None
    target_groups: list[str]
    follow_up_method: str
    esf_cofunded: bool = False
    organiser_id: int
    party_ids: list[int] = []
    controller_id: int
    start_date: PlausibleDate
    end_date: PlausibleDate | None = None


class InterventionUpdateIn(Schema):
    name: FreeText | None = None
    description: FreeText | None = None
    orientation: str | None = None
    precise_orientation: str | None = None
    target_groups: list[str] | None = None
    follow_up_method: str | None = None
    esf_cofunded: bool | None = None
    organiser_id: int | None = None
    party_ids: list[int] | None = None
    controller_id: int | None = None
    start_date: PlausibleDate | None = None
    end_date: PlausibleDate | None = None


def _resolve(
    request: HttpRequest, association: Association, data: dict[str, Any]
) -> dict[str, Any]:
    """Turn ids and code keys into objects; unknown ones are a ValidationError on the field."""
    out: dict[str, Any] = {}
    errors = Errors()
    orgs = selectors.member_organisations(user=request.user, association=association)
    for field, key in (("organiser", "organiser_id"), ("controller", "controller_id")):
        if key in data:
            org = orgs.filter(pk=data[key]).first() if data[key] is not None else None
            if org is None:
                errors.add(
                    field,
                    _("%(key)s: okänd organisation eller inte medlem i förbundet.") % {"key": key},
                )
            out[field] = org
    if "party_ids" in data:
        ids = set(data["party_ids"] or [])
        parties = list(orgs.filter(pk__in=ids))
        if len(parties) != len(ids):
            errors.add("parties", _("party_ids: okänd organisation eller inte medlem i förbundet."))
        out["parties"] = parties
    if "target_groups" in data:
        keys = set(data["target_groups"] or [])
        codes = list(selectors.target_group_codes().filter(key__in=keys))
        if len(codes) != len(keys):
            unknown = sorted(keys - {c.key for c in codes})
            errors.add(
                "target_groups",
                _("target_groups: okänd kod %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        out["target_groups"] = codes
    if "precise_orientation" in data:
        key = data["precise_orientation"]
        code = selectors.precise_orientation_codes().filter(key=key).first() if key else None
        if key and code is None:
            errors.add(
                "precise_orientation", _("precise_orientation: okänd kod %(key)s.") % {"key": key}
            )
        out["precise_orientation"] = code
    errors.raise_if_any()
    for field in (
        "name",
        "description",
        "orientation",
        "follow_up_method",
        "esf_cofunded",
        "start_date",
        "end_date",
    ):
        if field in data:
            out[field] = data[field]
    return out


@router.get("/", response=list[InterventionOut])
def list_interventions(
    request: HttpRequest, association_id: int | None = None
) -> list[Intervention]:
    qs = selectors.intervention_list(user=request.user, association_id=association_id)
    return list(qs.prefetch_related("target_groups", "parties"))


@router.get("/{intervention_id}", response=InterventionOut)
def get_intervention(request: HttpRequest, intervention_id: int) -> Intervention:
    return selectors.intervention_detail(user=request.user, pk=intervention_id)


@router.post("/", response={201: InterventionOut})
def create_intervention(request: HttpRequest, payload: InterventionCreateIn) -> Any:
    association = selectors.association_for_management(
        user=request.user, association_id=payload.association_id
    )
    data = payload.dict()
    data.pop("association_id")
    kwargs = _resolve(request, association, data)
    intervention = services.intervention_create(
        actor=request.user, association=association, **kwargs
    )
    return Status(201, selectors.intervention_detail(user=request.user, pk=intervention.pk))


@router.patch("/{intervention_id}", response=InterventionOut)
def update_intervention(
    request: HttpRequest, intervention_id: int, payload: InterventionUpdateIn
) -> Intervention:
    intervention = selectors.intervention_get(user=request.user, pk=intervention_id)
    data = payload.dict(exclude_unset=True)
    changes = _resolve(request, intervention.association, data)
    services.intervention_update(actor=request.user, intervention=intervention, **changes)
    return selectors.intervention_detail(user=request.user, pk=intervention.pk)

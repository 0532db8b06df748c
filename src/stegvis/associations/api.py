from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from stegvis.associations import selectors

router = Router(tags=["förbund"])


class AssociationOut(Schema):
    id: int
    name: str
    org_number: str
    founded: dt.date
    dissolved: dt.date | None
    funding_key_method: str


@router.get("/", response=list[AssociationOut])
def list_associations(request: HttpRequest) -> list[AssociationOut]:
    return list(selectors.association_list(user=request.user))


@router.get("/{association_id}", response=AssociationOut)
def get_association(request: HttpRequest, association_id: int) -> AssociationOut:
    return selectors.association_get(user=request.user, pk=association_id)

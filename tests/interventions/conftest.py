"""Fixtures for insatser: code rows, member organisations of förbund A and a sample insats."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stegvis.associations.models import Association, Organisation, PartyKind
from stegvis.interventions import services
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.reference.models import Code, CodeList


def members(association: Association) -> dict[str, list[Organisation]]:
    result: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(memberships__association=association).order_by("pk"):
        result.setdefault(org.kind, []).append(org)
    return result


@pytest.fixture
def codes(db) -> dict[str, Code]:
    def code(list_: str, key: str, label: str) -> Code:
        return Code.objects.get_or_create(list=list_, key=key, defaults={"label": label})[0]

    return {
        "unga": code(CodeList.TARGET_GROUP, "test-unga", "Unga 16–29 år"),
        "sjuk": code(CodeList.TARGET_GROUP, "test-sjukskrivna", "Långtidssjukskrivna"),
        "po": code(CodeList.PRECISE_ORIENTATION, "test-kartlaggning", "Kartläggning"),
        "income": code(CodeList.INCOME_SOURCE, "test-lon", "Lön"),
    }


@pytest.fixture
def orgs_a(personas) -> dict[str, list[Organisation]]:
    return members(personas.a)


def create_kwargs(
    association: Association, codes: dict[str, Code], **overrides: Any
) -> dict[str, Any]:
    m = members(association)
    kwargs: dict[str, Any] = {
        "association": association,
        "name": "Steg till arbete",
        "description": "Arbetsträning med stöd.",
        "orientation": Orientation.INDIVIDUAL,
        "follow_up_method": FollowUpMethod.IDENTIFIED,
        "organiser": m[PartyKind.KOMMUN][0],
        "parties": [m[PartyKind.FK][0], m[PartyKind.KOMMUN][0]],
        "controller": m[PartyKind.KOMMUN][0],
        "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        "target_groups": [codes["unga"]],
        "precise_orientation": codes["po"],
        "esf_cofunded": True,
    }
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def intervention(personas, codes) -> Intervention:
    return services.intervention_create(
        actor=personas.manager_a, **create_kwargs(personas.a, codes)
    )


@pytest.fixture
def volume_intervention(personas, codes) -> Intervention:
    return services.intervention_create(
        actor=personas.manager_a,
        **create_kwargs(
            personas.a,
            codes,
            name="Nätverksträffar",
            orientation=Orientation.STRUCTURAL,
            follow_up_method=FollowUpMethod.VOLUME,
            esf_cofunded=False,
        ),
    )


"""Issue 11: a kommun's member organisation is created with the förbund, and an idempotent
service (run by the demo and ``stegvis kommun_organisations``) gives every kommun one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from stegvis.associations.kommuner import (
    association_create_with_kommuner,
    kommun_organisations_ensure,
)
from stegvis.associations.models import Membership, Organisation, PartyKind
from stegvis.audit.models import Action, AuditEvent
from stegvis.reference.models import Municipality
from tests.factories import luhn_org_number

pytestmark = pytest.mark.django_db


def _create(personas, **overrides):
    kwargs = dict(
        actor=personas.sysadmin,
        name="Samordningsförbundet Norr",
        org_number=luhn_org_number(901),
        founded=dt.date(2024, 1, 1),
        area=[("2580", ""), ("2581", "")],
        regions=[_region(personas)],
        funding_key_method="equal",
    )
    kwargs.update(overrides)
    return association_create_with_kommuner(**kwargs)


def _region(personas):
    return Organisation.objects.filter(kind=PartyKind.REGION).first()


def test_forbund_created_with_its_kommuners_organisations(personas):
    assert not Organisation.objects.filter(municipality_id__in=["2580", "2581"]).exists()
    association = _create(personas)
    kommuner = Organisation.objects.filter(municipality_id__in=["2580", "2581"])
    assert sorted(o.name for o in kommuner) == ["Luleå kommun", "Piteå kommun"]
    assert all(o.org_number is None for o in kommuner)
    members = set(
        Membership.objects.filter(association=association).values_list(
            "organisation__kind", flat=True
        )
    )
    assert members == {PartyKind.FK, PartyKind.AF, PartyKind.REGION, PartyKind.KOMMUN}
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="associations.organisation",
        object_id=str(kommuner[0].pk), actor=personas.sysadmin,
    ).exists()


def test_refused_forbund_leaves_no_organisation_behind(personas):
    with pytest.raises(ValidationError):
        _create(personas, regions=[])  # a region must be a member
    assert not Organisation.objects.filter(municipality_id__in=["2580", "2581"]).exists()


def test_only_the_systemadministrator_creates(personas):
    with pytest.raises(PermissionDenied):
        _create(personas, actor=personas.admin_a)
    with pytest.raises(PermissionDenied):
        kommun_organisations_ensure(actor=personas.admin_a, municipalities=["2580"])
    assert not Organisation.objects.filter(municipality_id="2580").exists()


def test_ensure_is_idempotent_and_keeps_existing_organisations(personas):
    stockholm = Organisation.objects.get(municipality_id="0180")
    first = kommun_organisations_ensure(actor=personas.sysadmin)
    assert len(first) == Municipality.objects.count() == 290
    assert Organisation.objects.get(municipality_id="0180") == stockholm
    assert stockholm.org_number  # untouched
    events = AuditEvent.objects.count()
    second = kommun_organisations_ensure(actor=personas.sysadmin)
    assert [o.pk for o in second] == [o.pk for o in first]
    assert AuditEvent.objects.count() == events


def test_command_fills_in_every_kommun(personas, capsys):
    call_command("kommun_organisations")
    assert Organisation.objects.filter(kind=PartyKind.KOMMUN).count() == 290
    assert "290 kommuner har en medlemsorganisation" in capsys.readouterr().out
    call_command("kommun_organisations")
    assert "(0 nya)" in capsys.readouterr().out


def test_other_parties_still_need_an_org_number(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Region X", kind=PartyKind.REGION, org_number=None)

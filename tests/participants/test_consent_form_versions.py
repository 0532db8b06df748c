"""Issue 11: the consent form version is chosen from a managed code list; existing data keeps
working (its versions join the list by migration)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from stegvis.codelists import services as reference_services
from stegvis.participants.models import Consent, Participation
from stegvis.reference.models import Code, CodeList
from tests.participants.test_views import form_data, registered

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _url(insats):
    return reverse("participants:register", args=[insats.pk])


def _add(personas, key, label):
    return reference_services.code_create(
        actor=personas.sysadmin, list=CodeList.CONSENT_FORM_VERSION, key=key, label=label,
        sort_order=20, valid_from=dt.date(2020, 1, 1),
    )


def test_only_one_active_version_is_preselected(personas, insats, client_for):
    html = client_for(personas.officer_a).get(_url(insats)).content.decode()
    assert '<select name="consent_form_version"' in html
    assert '<option value="2024:1" selected>2024:1</option>' in html


def test_registration_offers_the_active_versions_only(personas, insats, client_for):
    _add(personas, "v2026_1", "2026:1")
    old = Code.objects.get(list=CodeList.CONSENT_FORM_VERSION, key="v2024_1")
    reference_services.code_retire(actor=personas.sysadmin, code=old,
                                   valid_to=TODAY - dt.timedelta(days=1))
    client = client_for(personas.officer_a)
    html = client.get(_url(insats)).content.decode()
    assert '<option value="2026:1" selected>2026:1</option>' in html  # the only one left
    assert ">2024:1</option>" not in html
    # A retired (or made-up) version is refused with a Swedish message; nothing is saved.
    for version in ("2024:1", "gammal blankett"):
        refused = client.post(_url(insats), form_data(consent_form_version=version))
        assert "Blankettversion: välj en av versionerna i listan." in refused.content.decode()
    assert not Participation.objects.exists()
    done = client.post(_url(insats), form_data(consent_form_version="2026:1"))
    assert done.status_code == 302
    assert Consent.objects.get().form_version == "2026:1"


def test_only_the_systemadministrator_manages_the_list(personas):
    with pytest.raises(PermissionDenied):
        reference_services.code_create(
            actor=personas.admin_a, list=CodeList.CONSENT_FORM_VERSION, key="v9", label="9",
            sort_order=10, valid_from=dt.date(2020, 1, 1),
        )


def test_existing_consent_versions_join_the_list(personas, insats):
    participation = registered(personas, insats)  # stored with version "2024:1"
    Consent.objects.filter(participation=participation).update(form_version="Blankett B 2019")
    migration = importlib.import_module(
        "stegvis.participants.migrations.0004_consent_form_versions_listed"
    )
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # idempotent
    listed = Code.objects.filter(list=CodeList.CONSENT_FORM_VERSION, label="Blankett B 2019")
    assert [c.key for c in listed] == ["vblankett_b_2019"]
    assert listed[0].valid_to is None
    # Unchanged data: the participation still reads its consent.
    assert Consent.objects.get(participation=participation).form_version == "Blankett B 2019"

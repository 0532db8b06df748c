"""Issue 11: the insats form reports every problem at once and refuses inconsistent
combinations; volume counts can be corrected and removed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stegvis.access.models import InterventionAssignment
from stegvis.associations.models import PartyKind
from stegvis.audit.models import Action, AuditEvent
from stegvis.interventions import services, volume
from stegvis.interventions.models import Intervention, VolumeCount
from stegvis.reference.models import Code, CodeList
from tests.interventions.conftest import create_kwargs, members
from tests.interventions.test_views import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def structural_po(db) -> Code:
    return Code.objects.get_or_create(
        list=CodeList.PRECISE_ORIENTATION, key="struktur_testsamverkan",
        defaults={"label": "Testsamverkan"},
    )[0]


def test_individual_insats_refuses_a_structural_precise_orientation(personas, codes, structural_po):
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(
            actor=personas.manager_a,
            **create_kwargs(personas.a, codes, precise_orientation=structural_po),
        )
    message = exc.value.message_dict["precise_orientation"][0]
    assert "Testsamverkan" in message and "strukturövergripande" in message
    assert not Intervention.objects.exists()
    # The same code is fine for a structural insats.
    created = services.intervention_create(
        actor=personas.manager_a,
        **create_kwargs(personas.a, codes, orientation="structural",
                        precise_orientation=structural_po),
    )
    assert created.precise_orientation == structural_po


def test_update_refuses_a_precise_orientation_of_the_other_kind(
    personas, intervention, structural_po
):
    with pytest.raises(ValidationError) as exc:
        services.intervention_update(
            actor=personas.manager_a, intervention=intervention,
            precise_orientation=structural_po,
        )
    assert "precise_orientation" in exc.value.message_dict
    intervention.refresh_from_db()
    assert intervention.precise_orientation != structural_po


def test_volume_insats_gets_no_deltagaransvarig(personas, volume_intervention):
    with pytest.raises(ValidationError) as exc:
        services.assignment_add(
            actor=personas.manager_a, intervention=volume_intervention, user=personas.officer_a
        )
    assert "volym" in exc.value.message_dict["user"][0]
    assert not InterventionAssignment.objects.exists()


def test_create_form_reports_form_and_rule_errors_at_once(personas, codes, structural_po,
                                                         client_for):
    client = client_for(personas.manager_a)
    kommuner = members(personas.a)[PartyKind.KOMMUN]
    data = _form_data(personas, codes, organiser=kommuner[0].pk,
                      parties=[k.pk for k in kommuner], precise_orientation=structural_po.pk)
    del data["name"]  # a form error: the service is never called
    data["description"] = "Stöd till unga."
    response = client.post(reverse("interventions:create", args=[personas.a.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("name", "parties", "precise_orientation"):
        assert f'href="#id_{field}"' in html, field
    assert "Flera kommuner räknas som en part" in html
    assert "hör till strukturövergripande insatser" in html
    assert html.count("Namn: ange insatsens namn.") == 2  # summary and field, once each
    # Nothing typed is lost.
    assert "Stöd till unga.</textarea>" in html
    assert not Intervention.objects.exists()


def test_edit_form_reports_rule_errors_with_form_errors(personas, intervention, structural_po,
                                                       client_for):
    client = client_for(personas.manager_a)
    m = members(personas.a)
    response = client.post(
        reverse("interventions:edit", args=[intervention.pk]),
        {
            "name": "",
            "precise_orientation": structural_po.pk,
            "target_groups": [c.pk for c in intervention.target_groups.all()],
            "organiser": m[PartyKind.KOMMUN][0].pk,
            "parties": [m[PartyKind.FK][0].pk],
            "controller": m[PartyKind.KOMMUN][0].pk,
            "start_date": "2024-01-01",
        },
    )
    html = response.content.decode()
    assert 'href="#id_name"' in html and 'href="#id_precise_orientation"' in html


def _count(personas, intervention, start, end, total, **kw):
    return services.volume_count_record(
        actor=personas.manager_a, intervention=intervention,
        period_start=start, period_end=end, total=total, **kw,
    )


def test_volume_count_corrected_and_audited(personas, volume_intervention):
    first = _count(personas, volume_intervention, dt.date(2024, 1, 1), dt.date(2024, 6, 30), 30)
    _count(personas, volume_intervention, dt.date(2024, 7, 1), dt.date(2024, 12, 31), 10)
    updated = volume.volume_count_update(
        actor=personas.manager_a, count=first, period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30), total=32, women=20, men=12,
    )
    assert (updated.total, updated.women, updated.men) == (32, 20, 12)
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="interventions.volumecount")
    assert event.details["changes"]["total"] == {"from": 30, "to": 32}
    # A correction may not overlap another period; its own period does not count.
    with pytest.raises(ValidationError) as exc:
        volume.volume_count_update(
            actor=personas.manager_a, count=first, period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 8, 31), total=32,
        )
    assert "2024-07-01–2024-12-31" in exc.value.message_dict["period_start"][0]
    first.refresh_from_db()
    assert first.period_end == dt.date(2024, 6, 30)
    with pytest.raises(ValidationError) as exc:
        volume.volume_count_update(
            actor=personas.manager_a, count=first, period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 6, 30), total=3, women=2, men=2,
        )
    assert "total" in exc.value.message_dict


def test_volume_count_removed_and_audited(personas, volume_intervention):
    vc = _count(personas, volume_intervention, dt.date(2024, 1, 1), dt.date(2024, 6, 30), 30)
    with pytest.raises(PermissionDenied):
        volume.volume_count_remove(actor=personas.reader_a, count=vc)
    volume.volume_count_remove(actor=personas.manager_a, count=vc)
    assert not VolumeCount.objects.exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_type="interventions.volumecount")
    assert event.details["total"] == 30 and event.details["period_start"] == "2024-01-01"


def test_volume_page_lists_periods_and_corrects_and_removes(personas, volume_intervention,
                                                           client_for):
    vc = _count(personas, volume_intervention, dt.date(2024, 1, 1), dt.date(2024, 6, 30), 30)
    client = client_for(personas.manager_a)
    page = client.get(reverse("interventions:volume", args=[volume_intervention.pk]))
    html = page.content.decode()
    assert "2024-01-01–2024-06-30" in html
    edit_url = reverse("interventions:volume_edit", args=[volume_intervention.pk, vc.pk])
    remove_url = reverse("interventions:volume_remove", args=[volume_intervention.pk, vc.pk])
    assert edit_url in html and remove_url in html
    form = client.get(edit_url).content.decode()
    assert 'value="30"' in form
    response = client.post(edit_url, {"period_start": "2024-01-01", "period_end": "2024-06-30",
                                      "total": "31"})
    assert response.status_code == 302
    vc.refresh_from_db()
    assert vc.total == 31
    assert "Perioden 2024-01-01–2024-06-30" in client.get(remove_url).content.decode()
    assert client.post(remove_url).status_code == 302
    assert not VolumeCount.objects.exists()


def test_volume_count_of_another_forbund_is_404(personas, volume_intervention, client_for):
    vc = _count(personas, volume_intervention, dt.date(2024, 1, 1), dt.date(2024, 6, 30), 30)
    client = client_for(personas.admin_b)
    url = reverse("interventions:volume_remove", args=[volume_intervention.pk, vc.pk])
    assert client.post(url).status_code == 404
    assert VolumeCount.objects.exists()

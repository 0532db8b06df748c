"""Pages under /insatser/: who sees what, forms, locked fields, error summaries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from stegvis.access.models import InterventionAssignment
from stegvis.associations.models import PartyKind
from stegvis.audit.models import Action, AuditEvent
from stegvis.interventions import services
from stegvis.interventions.models import (
    AnonymousCount,
    BudgetLine,
    Intervention,
    VolumeCount,
)
from tests import factories
from tests.interventions.conftest import members

pytestmark = pytest.mark.django_db


def _form_data(personas, codes, **overrides):
    m = members(personas.a)
    data = {
        "name": "Ung framtid",
        "description": "Stöd till unga.",
        "orientation": "individual",
        "follow_up_method": "identified",
        "target_groups": [codes["unga"].pk],
        "precise_orientation": codes["po"].pk,
        "organiser": m[PartyKind.KOMMUN][0].pk,
        "parties": [m[PartyKind.AF][0].pk],
        "controller": m[PartyKind.KOMMUN][0].pk,
        "start_date": "2024-02-01",
        "end_date": "2025-12-31",
    }
    data.update(overrides)
    return data


def _pages(intervention, association):
    pk = intervention.pk
    return [
        reverse("interventions:list", args=[association.pk]),
        reverse("interventions:create", args=[association.pk]),
        reverse("interventions:detail", args=[pk]),
        reverse("interventions:edit", args=[pk]),
        reverse("interventions:year", args=[pk]),
        reverse("interventions:assignments", args=[pk]),
        reverse("interventions:volume", args=[pk]),
        reverse("interventions:anonymous", args=[pk]),
    ]


@pytest.mark.parametrize("who", ["manager_a", "admin_a"])
def test_managers_see_every_page(personas, intervention, client_for, who):
    client = client_for(getattr(personas, who))
    for url in _pages(intervention, personas.a):
        response = client.get(url)
        assert response.status_code == 200, url


def test_outsider_gets_404_everywhere(personas, intervention, client_for):
    client = client_for(personas.admin_b)
    for url in _pages(intervention, personas.a):
        assert client.get(url).status_code == 404, url
    for url in _pages(intervention, personas.a)[1:]:
        assert client.post(url, {"name": "x"}).status_code == 404, url
    remove = reverse("interventions:assignment_remove", args=[intervention.pk, 1])
    assert client.post(remove).status_code == 404


@pytest.mark.parametrize("who", ["reader_a", "officer_a", "auditor_a"])
def test_roles_without_capability_get_403(personas, intervention, client_for, who):
    client = client_for(getattr(personas, who))
    for url in _pages(intervention, personas.a):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("interventions:edit", args=[intervention.pk]), {"name": "Kapad"})
    assert response.status_code == 403
    intervention.refresh_from_db()
    assert intervention.name == "Steg till arbete"
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).exists()


def test_anonymous_user_is_sent_to_login(client, intervention):
    response = client.get(reverse("interventions:detail", args=[intervention.pk]))
    assert response.status_code == 302


def test_list_paginates_and_shows_only_own_forbund(personas, codes, intervention, client_for):
    client = client_for(personas.manager_a)
    response = client.get(reverse("interventions:list", args=[personas.a.pk]))
    html = response.content.decode()
    assert "Steg till arbete" in html
    assert "<caption>" in html
    for i in range(26):
        factories.InterventionFactory(
            association=personas.a,
            name=f"Insats {i:02d}",
            follow_up_method="volume",
            organiser=intervention.organiser,
            controller=intervention.controller,
            start_date=dt.date(2024, 1, 1),
            parties=[],
        )
    page1 = client.get(reverse("interventions:list", args=[personas.a.pk])).content.decode()
    assert "Sida 1 av 2" in page1
    page2 = client.get(
        reverse("interventions:list", args=[personas.a.pk]) + "?sida=2"
    ).content.decode()
    assert "Sida 2 av 2" in page2


def test_create_via_form(personas, codes, client_for):
    client = client_for(personas.manager_a)
    response = client.post(
        reverse("interventions:create", args=[personas.a.pk]), _form_data(personas, codes)
    )
    intervention = Intervention.objects.get(name="Ung framtid")
    assert response.status_code == 302
    assert response.url == reverse("interventions:detail", args=[intervention.pk])
    assert {p.kind for p in intervention.parties.all()} == {PartyKind.KOMMUN, PartyKind.AF}
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_id=str(intervention.pk), actor=personas.manager_a
    ).exists()


def test_create_form_shows_error_summary_for_party_rule_and_dates(personas, codes, client_for):
    client = client_for(personas.manager_a)
    kommuner = members(personas.a)[PartyKind.KOMMUN]
    response = client.post(
        reverse("interventions:create", args=[personas.a.pk]),
        _form_data(
            personas,
            codes,
            organiser=kommuner[0].pk,
            parties=[k.pk for k in kommuner],
            end_date="2024-01-01",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary" role="alert" tabindex="-1"' in html
    assert 'href="#id_end_date"' in html
    assert "Slutdatum: kan inte vara före startdatum." in html
    assert 'aria-invalid="true"' in html
    assert not Intervention.objects.exists()
    # Dates fine now: the party rule comes from the service and links to the parties field.
    response = client.post(
        reverse("interventions:create", args=[personas.a.pk]),
        _form_data(personas, codes, organiser=kommuner[0].pk, parties=[k.pk for k in kommuner]),
    )
    html = response.content.decode()
    assert 'href="#id_parties"' in html
    assert "Flera kommuner räknas som en part" in html
    assert not Intervention.objects.exists()


def test_create_form_required_fields(personas, codes, client_for):
    client = client_for(personas.manager_a)
    response = client.post(reverse("interventions:create", args=[personas.a.pk]), {})
    html = response.content.decode()
    for field in ("name", "orientation", "follow_up_method", "target_groups", "start_date"):
        assert f'href="#id_{field}"' in html, field
    assert "Målgrupper: välj minst en målgrupp." in html


def test_edit_form_shows_locked_fields_with_reason(personas, intervention, client_for):
    client = client_for(personas.manager_a)
    html = client.get(reverse("interventions:edit", args=[intervention.pk])).content.decode()
    assert "Uppgifter som inte kan ändras" in html
    assert "Individinriktad" in html
    assert "kan inte ändras när insatsen väl finns" in html
    assert 'name="orientation"' not in html
    assert 'name="follow_up_method"' not in html
    assert 'name="esf_cofunded"' not in html


def test_edit_form_saves(personas, codes, intervention, client_for):
    client = client_for(personas.manager_a)
    response = client.post(
        reverse("interventions:edit", args=[intervention.pk]),
        {
            k: v
            for k, v in _form_data(personas, codes, name="Omdöpt").items()
            if k != "follow_up_method"
        },
    )
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.name == "Omdöpt"


def test_edit_form_refuses_posted_change_of_locked_field(personas, codes, intervention, client_for):
    client = client_for(personas.manager_a)
    data = _form_data(personas, codes, name="Omdöpt")
    data["orientation"] = "structural"
    data["follow_up_method"] = "identified"
    response = client.post(reverse("interventions:edit", args=[intervention.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inriktning kan inte ändras när insatsen väl finns" in html
    intervention.refresh_from_db()
    assert intervention.name == "Steg till arbete"
    assert intervention.orientation == "individual"


def test_year_form_creates_budget_lines(personas, intervention, client_for):
    client = client_for(personas.manager_a)
    url = reverse("interventions:year", args=[intervention.pk])
    response = client.post(
        url,
        {
            "year": "2025",
            "planned_participants": "25",
            "insatskostnad_budget": "300000",
            "insatskostnad_actual": "250000",
            "esf_insatskostnad_budget": "50000",
        },
    )
    assert response.status_code == 302
    assert BudgetLine.objects.count() == 2
    html = client.get(url + "?ar=2025").content.decode()
    assert 'value="300000"' in html
    detail = client.get(reverse("interventions:detail", args=[intervention.pk])).content.decode()
    assert "ESF-insatskostnad" in detail


def test_year_form_errors(personas, intervention, client_for):
    client = client_for(personas.manager_a)
    url = reverse("interventions:year", args=[intervention.pk])
    response = client.post(
        url, {"year": "2030", "planned_participants": "-2", "insatskostnad_budget": "1,5"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_planned_participants"' in html
    assert 'href="#id_insatskostnad_budget"' in html
    assert not BudgetLine.objects.exists()
    response = client.post(url, {"year": "2027", "planned_participants": "2"})
    assert "2024–2026" in response.content.decode()
    response = client.post(url, {"year": "2099", "planned_participants": "2"})
    assert "År: året kan inte ligga mer än ett år fram i tiden" in response.content.decode()


def test_assignment_pages(personas, intervention, client_for):
    client = client_for(personas.manager_a)
    url = reverse("interventions:assignments", args=[intervention.pk])
    html = client.get(url).content.decode()
    assert "officer_a" in html
    assert "officer_b" not in html
    # Only deltagaransvariga of the same förbund can be chosen.
    response = client.post(url, {"user": personas.officer_b.pk})
    assert "inte rollen deltagaransvarig" in response.content.decode()
    assert not InterventionAssignment.objects.exists()
    response = client.post(url, {"user": personas.officer_a.pk})
    assert response.status_code == 302
    assert InterventionAssignment.objects.filter(user=personas.officer_a).exists()
    remove = reverse(
        "interventions:assignment_remove", args=[intervention.pk, personas.officer_a.pk]
    )
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not InterventionAssignment.objects.exists()


def test_assigned_officer_sees_insats_on_index(personas, intervention, client_for):
    services.assignment_add(
        actor=personas.manager_a, intervention=intervention, user=personas.officer_a
    )
    html = client_for(personas.officer_a).get(reverse("interventions:index")).content.decode()
    assert "Steg till arbete" in html


def test_index_of_outsider_shows_nothing_of_a(personas, intervention, client_for):
    html = client_for(personas.admin_b).get(reverse("interventions:index")).content.decode()
    assert "Steg till arbete" not in html
    assert personas.a.name not in html


def test_volume_form(personas, volume_intervention, client_for):
    client = client_for(personas.manager_a)
    url = reverse("interventions:volume", args=[volume_intervention.pk])
    response = client.post(
        url, {"period_start": "2024-03-01", "period_end": "2024-02-01", "total": "3"}
    )
    assert 'href="#id_period_end"' in response.content.decode()
    response = client.post(
        url, {"period_start": "2024-03-01", "period_end": "2024-03-31", "total": "12", "women": "7"}
    )
    assert response.status_code == 302
    assert VolumeCount.objects.get().women == 7


def test_anonymous_form(personas, intervention, client_for):
    client = client_for(personas.manager_a)
    url = reverse("interventions:anonymous", args=[intervention.pk])
    response = client.post(url, {"start_year": "2024", "women": "-1", "men": "2"})
    assert 'href="#id_women"' in response.content.decode()
    response = client.post(url, {"start_year": "2024", "women": "4", "men": "2"})
    assert response.status_code == 302
    assert AnonymousCount.objects.get().women == 4


def test_start_page_links_to_insatser(personas, client_for):
    url = reverse("interventions:list", args=[personas.a.pk])
    assert url in client_for(personas.manager_a).get("/").content.decode()
    assert url not in client_for(personas.reader_a).get("/").content.decode()


def test_retired_codes_not_offered_for_new_insats(personas, codes, intervention, client_for):
    from stegvis.reference.models import Code, CodeList

    Code.objects.create(
        list=CodeList.TARGET_GROUP,
        key="test-gammal",
        label="Gammal målgrupp",
        valid_from=dt.date(2000, 1, 1),
        valid_to=dt.date(2001, 1, 1),
    )
    client = client_for(personas.manager_a)
    html = client.get(reverse("interventions:create", args=[personas.a.pk])).content.decode()
    assert "Gammal målgrupp" not in html
    assert "Unga 16–29 år" in html


def test_year_form_refuses_an_outcome_for_a_year_that_has_not_begun(
    personas, intervention, client_for
):
    next_year = dt.date.today().year + 1
    intervention.end_date = dt.date(next_year + 1, 12, 31)
    intervention.save(update_fields=["end_date"])
    client = client_for(personas.manager_a)
    url = reverse("interventions:year", args=[intervention.pk])
    # A new year's form starts empty.
    html = client.get(url + f"?ar={next_year}").content.decode()
    assert not re.search(r'name="insatskostnad_budget"[^>]*value="\d', html)
    response = client.post(url, {
        "year": str(next_year), "planned_participants": "10",
        "insatskostnad_budget": "300000", "insatskostnad_actual": "250000",
    })
    html = response.content.decode()
    assert f"år {next_year} har inte börjat" in html
    assert 'href="#id_insatskostnad_actual"' in html
    assert not BudgetLine.objects.exists()
    assert client.post(url, {
        "year": str(next_year), "planned_participants": "10",
        "insatskostnad_budget": "300000",
    }).status_code == 302

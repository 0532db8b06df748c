"""The audit log page /granskning/: who may open it, filters, bad input, pagination."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.services import record_event
from tests.audit.conftest import at

pytestmark = pytest.mark.django_db

URL = "/granskning/"


def searches(username: str):
    return AuditEvent.objects.filter(action=Action.SEARCH, actor_username=username)


def test_url_names():
    assert reverse("audit:list") == URL
    assert reverse("audit:export").startswith(URL)


def test_auditor_sees_own_associations_events_and_not_others(personas, log, client_for):
    response = client_for(personas.auditor_a).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html
    assert "Alfa-insatsen" in html
    assert "Uppföljning" in html
    assert "Beta-insatsen" not in html
    assert "admin_b" not in html
    assert "okand_person" not in html
    # The member's sign-ins are shown, with Swedish labels for the actions.
    assert "Misslyckad inloggning" in html
    assert "Inloggning" in html


def test_viewing_the_log_is_itself_logged(personas, log, client_for):
    client_for(personas.auditor_a).get(URL, {"action": "READ", "date_from": "2024-03-01"})
    event = searches("auditor_a").get()
    assert event.details["filter"] == {
        "date_from": "2024-03-01",
        "date_to": "",
        "actor_username": "",
        "association": None,
        "action": "READ",
    }
    assert event.details["page"] == 1


def test_national_auditor_sees_every_association(national_auditor, log, client_for):
    html = client_for(national_auditor).get(URL).content.decode()
    assert "Alfa-insatsen" in html
    assert "Beta-insatsen" in html
    assert "okand_person" in html


@pytest.mark.parametrize("persona", ["admin_b", "admin_a", "officer_a", "reader_a", "sysadmin"])
def test_users_without_audit_capability_get_403(personas, log, client_for, persona):
    response = client_for(getattr(personas, persona)).get(URL)
    assert response.status_code == 403
    assert "Alfa-insatsen" not in response.content.decode()
    assert not searches(persona).exists()


def test_outsider_naming_another_association_gets_404(personas, log, client_for):
    response = client_for(personas.admin_b).get(URL, {"association": personas.a.pk})
    assert response.status_code == 404
    assert "Alfa" not in response.content.decode()
    response = client_for(personas.admin_b).get(
        reverse("audit:export"), {"association": personas.a.pk}
    )
    assert response.status_code == 404


def test_auditor_naming_an_association_without_role_gets_404(personas, log, client_for):
    response = client_for(personas.auditor_a).get(URL, {"association": personas.b.pk})
    assert response.status_code == 404
    assert "Beta-insatsen" not in response.content.decode()


def test_role_in_association_without_audit_capability_gets_403(personas, client_for):
    response = client_for(personas.admin_a).get(URL, {"association": personas.a.pk})
    assert response.status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_association_choices_are_only_those_reviewable(personas, national_auditor, client_for):
    html = client_for(personas.auditor_a).get(URL).content.decode()
    assert "Samordningsförbundet Alfa</option>" in html
    assert "Samordningsförbundet Beta" not in html
    html = client_for(national_auditor).get(URL).content.decode()
    assert "Samordningsförbundet Beta</option>" in html


def test_filters_narrow_the_table(personas, log, client_for):
    c = client_for(personas.auditor_a)
    html = c.get(URL, {"action": "CREATE"}).content.decode()
    assert "Alfa-insatsen" in html and "Uppföljning" not in html
    html = c.get(URL, {"actor_username": "officer_a"}).content.decode()
    assert "Uppföljning" in html and "Alfa-insatsen" not in html
    html = c.get(URL, {"date_from": "2024-03-09", "date_to": "2024-03-31"}).content.decode()
    assert "Uppföljning" in html and "Alfa-insatsen" not in html
    html = c.get(URL, {"association": personas.a.pk, "action": "LOGIN"}).content.decode()
    assert "1 händelse" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date_from": "2024-03-10", "date_to": "2024-03-01"},
            "Till och med: datumet kan inte vara före från och med-datumet.",
        ),
        ({"date_from": "10 mars"}, "Ange ett giltigt datum i formatet ÅÅÅÅ-MM-DD."),
        ({"date_to": "2024-02-30"}, "Ange ett giltigt datum i formatet ÅÅÅÅ-MM-DD."),
        ({"action": "DROP"}, "Välj en händelse i listan."),
        ({"association": "alfa"}, "Välj ett samordningsförbund i listan."),
        (
            {"actor_username": "19850101-1234"},
            "Användare: ange ett användarnamn, inte ett personnummer.",
        ),
    ],
)
def test_bad_filter_shows_swedish_error_and_no_results(personas, log, client_for, params, message):
    response = client_for(personas.auditor_a).get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary" role="alert" tabindex="-1"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Alfa-insatsen" not in html
    assert "Granskningshändelser enligt filtret" not in html
    assert not searches("auditor_a").exists()
    assert not AuditEvent.objects.filter(details__icontains="19850101").exists()


def test_error_summary_links_to_the_field(personas, client_for):
    html = (
        client_for(personas.auditor_a)
        .get(URL, {"date_from": "2024-03-10", "date_to": "2024-03-01"})
        .content.decode()
    )
    assert 'href="#id_date_to"' in html
    assert 'id="id_date_to"' in html
    assert 'aria-describedby="id_date_to_helptext id_date_to_error"' in html


def test_pagination_50_per_page_with_navigation(personas, client_for):
    with time_machine.travel(at("2024-05-01"), tick=False):
        for n in range(120):
            record_event(
                actor=personas.officer_a,
                action=Action.READ,
                association=personas.a,
                object_type="participants.participation",
                object_id=n,
            )
    c = client_for(personas.auditor_a)
    html = c.get(URL, {"action": "READ"}).content.decode()
    assert html.count("Deltagande nr ") == 50
    assert 'aria-label="Sidor i granskningsloggen"' in html
    assert '<span aria-current="page">Sida 1 av 3</span>' in html
    assert 'href="?action=READ&amp;page=2"' in html
    assert "Föregående sida" not in html
    html = c.get(URL, {"action": "READ", "page": 3}).content.decode()
    assert html.count("Deltagande nr ") == 20
    assert "Sida 3 av 3" in html
    assert 'href="?action=READ&amp;page=2"' in html
    assert "Nästa sida" not in html


def test_home_page_links_auditors_to_the_log(personas, client_for):
    html = client_for(personas.auditor_a).get("/").content.decode()
    assert f'href="/granskning/?association={personas.a.pk}"' in html
    html = client_for(personas.admin_a).get("/").content.decode()
    assert "/granskning/" not in html

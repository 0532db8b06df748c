"""The code list pages: systemadministratör only; others get 403 and nothing changes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from stegvis.audit.models import Action, AuditEvent
from stegvis.reference.models import Code, CodeList
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/kodlistor/"
ADD_URL = "/kodlistor/target_group/ny/"


def retire_url(code: Code) -> str:
    return f"/kodlistor/kod/{code.pk}/avsluta/"


def test_sysadmin_sees_every_list_in_accessible_tables(personas, client_for):
    response = client_for(personas.sysadmin).get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["Försörjning", "Sysselsättning", "Stegförflyttning", "Avslutsanledning",
                  "Uppföljning avslutad utan mätning", "Samtyckesblankettens version"]:
        assert f"Koder i kodlistan {title}</caption>" in html
    assert html.count("<caption>") == len(CodeList.values) == 11
    assert '<th scope="row">Felregistrering</th>' in html
    assert "<code>a_kassa</code>" in html
    assert "Förvärvsarbete" in html  # activity category shown
    assert 'href="/kodlistor/activity/ny/"' in html


def test_home_page_links_sysadmin_to_code_lists(personas, client_for):
    html = client_for(personas.sysadmin).get("/").content.decode()
    assert 'href="/kodlistor/"' in html


def test_home_page_has_no_code_list_link_for_others(personas, client_for):
    html = client_for(personas.national_reader).get("/").content.decode()
    assert 'href="/kodlistor/"' not in html


def test_sysadmin_adds_code_via_form(personas, client_for):
    c = client_for(personas.sysadmin)
    form = c.get(ADD_URL).content.decode()
    assert '<label for="id_key">' in form
    assert "id_category" not in form  # only activity codes have a category
    response = c.post(
        ADD_URL,
        {
            "key": "unga_vuxna",
            "label": "Unga vuxna",
            "sort_order": "85",
            "valid_from": "2024-01-01",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/kodlistor/#lista-target_group"
    html = response.content.decode()
    assert "Koden Unga vuxna har lagts till i Målgrupp." in html
    assert '<th scope="row">Unga vuxna</th>' in html
    code = Code.objects.get(list="target_group", key="unga_vuxna")
    assert code.valid_from == dt.date(2024, 1, 1) and code.sort_order == 85
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="reference.code", object_id=str(code.pk)
    ).exists()


def test_sysadmin_adds_activity_code_with_category(personas, client_for):
    c = client_for(personas.sysadmin)
    response = c.post(
        "/kodlistor/activity/ny/",
        {
            "key": "extratjanst",
            "label": "Extratjänst",
            "sort_order": "25",
            "valid_from": "2024-01-01",
            "category": "work",
        },
    )
    assert response.status_code == 302
    assert Code.objects.get(list="activity", key="extratjanst").category == "work"


def test_add_form_errors_are_swedish_summarised_and_save_nothing(personas, client_for):
    before = Code.objects.count()
    response = client_for(personas.sysadmin).post(
        ADD_URL,
        {
            "key": "annan",
            "label": "Dubblett",
            "sort_order": "5",
            "valid_from": "2024-01-01",
            "valid_to": "2023-01-01",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary" role="alert" tabindex="-1"' in html
    assert 'href="#id_key">Nyckel: Nyckeln annan finns redan i kodlistan.' in html
    assert 'href="#id_valid_to">Giltig till: Giltig till kan inte vara före' in html
    assert re.search(r'aria-describedby="[^"]*id_key_error"', html)
    assert 'aria-invalid="true"' in html
    assert Code.objects.count() == before


def test_add_form_parse_errors(personas, client_for):
    response = client_for(personas.sysadmin).post(
        ADD_URL, {"key": "", "label": "", "sort_order": "x", "valid_from": "igår"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_key"' in html and 'href="#id_valid_from"' in html
    assert "Giltig från: Fyll i ett giltigt datum." in html


def test_unknown_list_is_404(personas, client_for):
    assert client_for(personas.sysadmin).get("/kodlistor/no_such_list/ny/").status_code == 404


def test_sysadmin_retires_code_via_form(personas, client_for):
    code = Code.objects.get(list="exit_reason", key="flyttat")
    c = client_for(personas.sysadmin)
    assert c.get(retire_url(code)).status_code == 200
    response = c.post(retire_url(code), {"valid_to": "2025-12-31"}, follow=True)
    assert "Koden Flyttat gäller till och med 2025-12-31." in response.content.decode()
    code.refresh_from_db()
    assert code.valid_to == dt.date(2025, 12, 31)
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(code.pk)).exists()


def test_retire_form_rejects_date_before_valid_from(personas, client_for):
    code = Code.objects.get(list="exit_reason", key="flyttat")
    response = client_for(personas.sysadmin).post(retire_url(code), {"valid_to": "1999-01-01"})
    assert response.status_code == 200
    assert "kan inte vara före" in response.content.decode()
    code.refresh_from_db()
    assert code.valid_to is None


@pytest.mark.parametrize("persona", ["admin_a", "admin_b", "national_reader", "officer_a"])
def test_others_get_403_on_every_page_and_nothing_changes(personas, client_for, persona):
    user = getattr(personas, persona)
    if persona == "officer_a":  # a deltagaransvarig must have two-factor before anything else
        factories.totp(user)
    c = client_for(user)
    code = Code.objects.get(list="exit_reason", key="flyttat")
    before = Code.objects.count()
    assert c.get(LIST_URL).status_code == 403
    assert c.get(ADD_URL).status_code == 403
    assert c.get(retire_url(code)).status_code == 403
    response = c.post(
        ADD_URL,
        {"key": "smuggel", "label": "Smuggel", "sort_order": "1", "valid_from": "2024-01-01"},
    )
    assert response.status_code == 403
    assert c.post(retire_url(code), {"valid_to": "2025-01-01"}).status_code == 403
    assert Code.objects.count() == before
    code.refresh_from_db()
    assert code.valid_to is None
    assert (
        AuditEvent.objects.filter(
            action=Action.PERMISSION_DENIED, actor_username=persona, object_type="reference.code"
        ).count()
        == 5
    )


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert "/konto/" in response["Location"]

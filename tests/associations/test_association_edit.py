"""Issue 11: a förbund is edited in the UI (name, organisationsnummer, dates, area), audited."""

from __future__ import annotations

import pytest

from stegvis.associations.models import AreaPart, Association, Membership, Organisation
from stegvis.audit.models import Action, AuditEvent
from tests.associations.test_views import has_error_summary

pytestmark = pytest.mark.django_db


def _post(a, **overrides):
    data = {"name": a.name, "org_number": a.org_number, "founded": "2010-01-01", "dissolved": ""}
    data.update(overrides)
    return data


def test_administrator_renames_and_dates_the_forbund(personas, client_for):
    a = personas.a
    c = client_for(personas.admin_a)
    page = c.get(f"/forbund/{a.pk}/")
    assert f'href="/forbund/{a.pk}/andra/"' in page.content.decode()
    form = c.get(f"/forbund/{a.pk}/andra/").content.decode()
    assert f'value="{a.name}"' in form and 'value="2010-01-01"' in form
    response = c.post(f"/forbund/{a.pk}/andra/", _post(a, name="Samordningsförbundet Alfa Syd",
                                                       dissolved="2027-06-30"))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.name == "Samordningsförbundet Alfa Syd" and str(a.dissolved) == "2027-06-30"
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="associations.association",
                                   actor=personas.admin_a)
    assert event.details["after"]["name"] == "Samordningsförbundet Alfa Syd"


def test_edit_errors_are_swedish_and_keep_input(personas, client_for):
    a = personas.a
    c = client_for(personas.admin_a)
    html = c.post(f"/forbund/{a.pk}/andra/",
                  _post(a, name="Nytt namn", founded="2012-01-01")).content.decode()
    assert "före det nya bildandedatumet" in html
    assert has_error_summary(html, "id_founded")
    assert 'value="Nytt namn"' in html
    a.refresh_from_db()
    assert a.name == "Samordningsförbundet Alfa"


@pytest.mark.parametrize("who", ["manager_a", "officer_a", "reader_a", "auditor_a"])
def test_other_roles_are_refused(personas, client_for, who):
    c = client_for(getattr(personas, who))
    a = personas.a
    assert c.get(f"/forbund/{a.pk}/andra/").status_code == 403
    assert c.post(f"/forbund/{a.pk}/omrade/", {"kommuner": ["0180"]}).status_code == 403
    assert f'/forbund/{a.pk}/andra/' not in c.get(f"/forbund/{a.pk}/").content.decode()


def test_outsider_gets_404(personas, client_for):
    c = client_for(personas.admin_b)
    assert c.get(f"/forbund/{personas.a.pk}/andra/").status_code == 404
    assert c.get(f"/forbund/{personas.a.pk}/omrade/").status_code == 404


def test_area_adds_a_kommun_as_member_and_splits_one_into_districts(personas, client_for):
    a = personas.a
    c = client_for(personas.admin_a)
    form = c.get(f"/forbund/{a.pk}/omrade/").content.decode()
    assert '<option value="0180" selected>' in form
    response = c.post(f"/forbund/{a.pk}/omrade/", {
        "kommuner": ["0180", "0136", "0184"],
        "districts": "0136: Västerhaninge\n0136: Jordbro",
    })
    assert response.status_code == 302, response.content.decode()
    parts = sorted((p.municipality_id, p.district) for p in AreaPart.objects.filter(association=a))
    assert parts == [("0136", "Jordbro"), ("0136", "Västerhaninge"), ("0180", ""), ("0184", "")]
    solna = Organisation.objects.get(municipality_id="0184")
    assert Membership.objects.filter(association=a, organisation=solna,
                                     valid_to__isnull=True).exists()
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="associations.areapart",
                                     association=a).exists()


def test_area_refuses_removing_a_member_kommun(personas, client_for):
    a = personas.a
    c = client_for(personas.admin_a)
    html = c.post(f"/forbund/{a.pk}/omrade/", {"kommuner": ["0180"]}).content.decode()
    assert "ingår inte i förbundets område" in html
    assert has_error_summary(html, "id_kommuner")
    assert AreaPart.objects.filter(association=a, municipality_id="0136").exists()
    assert Association.objects.get(pk=a.pk).area.count() == 2

"""Förbund pages and forms: Swedish errors with an error summary, refusals for outsiders."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from stegvis.associations.models import Association, Membership, Organisation, PartyKind
from stegvis.audit.models import Action, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def has_error_summary(html: str, field_id: str) -> bool:
    summary = re.search(
        r'<div class="error-summary" role="alert" tabindex="-1".*?</div>', html, re.S
    )
    return bool(summary) and f'href="#{field_id}"' in summary.group(0)


def create_post(**overrides):
    data = {
        "name": "Samordningsförbundet Gamma",
        "org_number": "222999-0003",
        "founded": "2020-01-01",
        "kommuner": ["0184"],
        "regions": [],
        "funding_key_method": "population",
    }
    data.update(overrides)
    return data


@pytest.fixture
def solna(personas):
    return factories.organisation(PartyKind.KOMMUN, "Solna kommun", "0184")


def region(personas):
    return Organisation.objects.get(name="Region Stockholm")


# --- Detail page ---------------------------------------------------------------------------


def test_detail_shows_area_members_and_population_key(personas, client_for):
    c = client_for(personas.admin_a)
    c.post(
        f"/forbund/{personas.a.pk}/fordelningsnyckel/",
        {"method": "population", "population_year": ""},
    )
    html = c.get(f"/forbund/{personas.a.pk}/").content.decode()
    assert "Hela kommunen" in html
    assert "Stockholms kommun" in html
    assert "2010-01-01" in html
    assert "befolkning 16–64 år den 31 december 2019" in html
    assert "651526" in html.replace("\xa0", "").replace(" ", "")  # Stockholm 16–64, 2019
    assert "Ändra fördelningsnyckeln" in html


def test_detail_for_officer_has_no_edit_links(personas, client_for):
    html = client_for(personas.officer_a).get(f"/forbund/{personas.a.pk}/").content.decode()
    assert "Samordningsförbundet Alfa" in html
    assert "Ändra fördelningsnyckeln" not in html
    assert "Lägg till medlemskap" not in html


# --- Create förbund ------------------------------------------------------------------------


def test_sysadmin_creates_forbund_via_form(personas, client_for, solna):
    c = client_for(personas.sysadmin)
    assert c.get("/forbund/nytt/").status_code == 200
    response = c.post("/forbund/nytt/", create_post(regions=[region(personas).pk]))
    assert response.status_code == 302
    a = Association.objects.get(name="Samordningsförbundet Gamma")
    assert response["Location"] == f"/forbund/{a.pk}/"
    kinds = sorted(a.memberships.values_list("organisation__kind", flat=True))
    assert kinds == ["AF", "FK", "KOMMUN", "REGION"]
    assert a.funding_shares.get(organisation=solna).share_pct == Decimal(100)
    assert AuditEvent.objects.filter(action=Action.CREATE, association=a).exists()


def test_create_form_invalid_org_number_shows_swedish_message(personas, client_for, solna):
    c = client_for(personas.sysadmin)
    response = c.post(
        "/forbund/nytt/", create_post(org_number="222999-0004", regions=[region(personas).pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Organisationsnumret 222999-0004 har fel kontrollsiffra." in html
    assert has_error_summary(html, "id_org_number")
    assert 'aria-invalid="true"' in html
    assert not Association.objects.filter(name="Samordningsförbundet Gamma").exists()


def test_create_form_missing_region_leaves_no_kommun_organisation(personas, client_for):
    c = client_for(personas.sysadmin)
    html = c.post("/forbund/nytt/", create_post(kommuner=["0184"])).content.decode()
    assert "Minst en region måste vara medlem" in html
    # The kommun's organisation would have been created with the förbund: no error about it,
    # and nothing is left behind by the refused förbund.
    assert "ingen medlemsorganisation" not in html
    assert not Organisation.objects.filter(municipality_id="0184").exists()
    assert not Association.objects.filter(name="Samordningsförbundet Gamma").exists()


def test_create_form_custom_key_not_100(personas, client_for, solna):
    c = client_for(personas.sysadmin)
    html = c.post(
        "/forbund/nytt/",
        create_post(
            kommuner=["0184", "0180"],
            regions=[region(personas).pk],
            funding_key_method="custom",
            custom_shares="0184: 10\n0180: 80",
        ),
    ).content.decode()
    assert "ska bli 100 procent tillsammans (nu 90)" in html
    assert has_error_summary(html, "id_custom_shares")


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "officer_a"])
def test_only_sysadmin_may_create(personas, client_for, who):
    c = client_for(getattr(personas, who))
    assert c.get("/forbund/nytt/").status_code == 403
    assert c.post("/forbund/nytt/", create_post()).status_code == 403
    assert c.get("/forbund/organisationer/ny/").status_code == 403


def test_list_links_to_create_for_sysadmin_only(personas, client_for):
    assert (
        "Nytt samordningsförbund" in client_for(personas.sysadmin).get("/forbund/").content.decode()
    )
    assert "Nytt samordningsförbund" not in (
        client_for(personas.admin_a).get("/forbund/").content.decode()
    )


# --- New member organisation ---------------------------------------------------------------


def test_organisation_form(personas, client_for):
    c = client_for(personas.sysadmin)
    data = {
        "name": "Solna stad",
        "kind": "KOMMUN",
        "org_number": "2129990004",
        "municipality": "0184",
    }
    assert c.post("/forbund/organisationer/ny/", data).status_code == 302
    assert Organisation.objects.get(municipality_id="0184").org_number == "212999-0004"
    html = c.post("/forbund/organisationer/ny/", {**data, "org_number": "12"}).content.decode()
    assert "Organisationsnummer ska ha tio siffror" in html
    assert "Solna har redan en medlemsorganisation" in html
    assert has_error_summary(html, "id_org_number")
    assert has_error_summary(html, "id_municipality")


# --- Funding key ---------------------------------------------------------------------------


def test_funding_key_form_custom_errors_and_success(personas, client_for):
    a = personas.a
    sthlm = Organisation.objects.get(municipality_id="0180")
    haninge = Organisation.objects.get(municipality_id="0136")
    c = client_for(personas.admin_a)
    url = f"/forbund/{a.pk}/fordelningsnyckel/"
    html = c.get(url).content.decode()
    assert "Andel för Stockholms kommun (%)" in html
    html = c.post(
        url, {"method": "custom", f"share_{sthlm.pk}": "50", f"share_{haninge.pk}": "40"}
    ).content.decode()
    assert "ska bli 100 procent tillsammans (nu 90)" in html
    assert has_error_summary(html, f"id_share_{haninge.pk}")  # first share field
    html = c.post(url, {"method": "custom", f"share_{sthlm.pk}": "100"}).content.decode()
    assert "Haninges kommun saknar andel" in html
    response = c.post(
        url, {"method": "custom", f"share_{sthlm.pk}": "62,5", f"share_{haninge.pk}": "37,5"}
    )
    assert response.status_code == 302
    assert a.funding_shares.get(organisation=haninge).share_pct == Decimal("37.5")
    assert AuditEvent.objects.filter(
        object_type="associations.fundingshare", association=a, actor_username="admin_a"
    ).exists()


def test_funding_key_form_with_several_regions(personas, client_for):
    a = personas.a
    r2 = factories.organisation(PartyKind.REGION, "Region Uppsala")
    Membership.objects.create(association=a, organisation=r2, valid_from=dt.date(2010, 1, 1))
    r1 = region(personas)
    c = client_for(personas.admin_a)
    url = f"/forbund/{a.pk}/fordelningsnyckel/"
    html = c.post(
        url, {"method": "equal", f"region_{r1.pk}": "70", f"region_{r2.pk}": "20"}
    ).content.decode()
    assert "Andelarna för regionernas fjärdedel ska bli 100 procent" in html
    response = c.post(url, {"method": "equal", f"region_{r1.pk}": "70", f"region_{r2.pk}": "30"})
    assert response.status_code == 302
    assert a.funding_shares.get(organisation=r2).share_pct == Decimal(30)


# --- Memberships ---------------------------------------------------------------------------


def test_membership_add_and_end_via_forms(personas, client_for, solna):
    a = personas.a
    c = client_for(personas.admin_a)
    response = c.post(
        f"/forbund/{a.pk}/medlemskap/nytt/", {"organisation": solna.pk, "valid_from": "2024-01-01"}
    )
    assert response.status_code == 302
    m = Membership.objects.get(association=a, organisation=solna)
    html = c.get(f"/forbund/{a.pk}/").content.decode()
    assert "Solna" in html
    response = c.post(f"/forbund/{a.pk}/medlemskap/{m.pk}/avsluta/", {"valid_to": "2024-12-31"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.valid_to == dt.date(2024, 12, 31)


def test_membership_add_overlap_shows_message(personas, client_for):
    a = personas.a
    sthlm = Organisation.objects.get(municipality_id="0180")
    html = (
        client_for(personas.admin_a)
        .post(
            f"/forbund/{a.pk}/medlemskap/nytt/",
            {"organisation": sthlm.pk, "valid_from": "2015-01-01"},
        )
        .content.decode()
    )
    assert "Medlemsperioderna för Stockholms kommun överlappar" in html
    assert has_error_summary(html, "id_organisation")


def test_membership_end_of_af_refused_with_message(personas, client_for):
    a = personas.a
    af = Membership.objects.get(association=a, organisation__kind=PartyKind.AF)
    html = (
        client_for(personas.admin_a)
        .post(f"/forbund/{a.pk}/medlemskap/{af.pk}/avsluta/", {"valid_to": "2020-01-01"})
        .content.decode()
    )
    assert "Arbetsförmedlingen måste vara medlem" in html
    assert has_error_summary(html, "id_valid_to")
    html = (
        client_for(personas.admin_a)
        .post(f"/forbund/{a.pk}/medlemskap/{af.pk}/avsluta/", {"valid_to": ""})
        .content.decode()
    )
    assert "Detta fält måste fyllas i." in html or "Det här fältet" in html


# --- Outsiders -----------------------------------------------------------------------------


def forbund_a_urls(personas) -> list[str]:
    a = personas.a
    m = Membership.objects.filter(association=a).first()
    return [
        f"/forbund/{a.pk}/",
        f"/forbund/{a.pk}/fordelningsnyckel/",
        f"/forbund/{a.pk}/medlemskap/nytt/",
        f"/forbund/{a.pk}/medlemskap/{m.pk}/avsluta/",
    ]


def test_outsider_gets_404_on_every_page_and_form_of_a(personas, client_for):
    c = client_for(personas.admin_b)
    for url in forbund_a_urls(personas):
        get = c.get(url)
        assert get.status_code == 404, url
        assert "Alfa" not in get.content.decode()
        assert c.post(url, {"method": "equal", "valid_to": "2024-01-01"}).status_code == 404, url
    assert personas.a.funding_key_method == "population"
    assert not Membership.objects.filter(association=personas.a, valid_to__isnull=False).exists()


def test_membership_of_another_forbund_is_404(personas, client_for):
    m_b = Membership.objects.filter(association=personas.b).first()
    c = client_for(personas.admin_a)
    assert c.get(f"/forbund/{personas.a.pk}/medlemskap/{m_b.pk}/avsluta/").status_code == 404


def test_member_without_manage_right_gets_403_on_forms(personas, client_for):
    c = client_for(personas.officer_a)
    for url in forbund_a_urls(personas)[1:]:
        assert c.get(url).status_code == 403, url
    assert (
        AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, association=personas.a).count()
        == 3
    )


def test_api_list_and_detail(personas, client_for):
    c = client_for(personas.admin_a)
    assert c.get(f"/api/v1/associations/{personas.a.pk}").json()["name"] == (
        "Samordningsförbundet Alfa"
    )
    assert c.get(f"/api/v1/associations/{personas.b.pk}").status_code == 404

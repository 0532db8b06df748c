"""The layout every page shares: header with förbund and main menu, breadcrumbs, page titles,
the administration page and the accessibility statement."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from stegvis.access.roles import Role
from stegvis.web.navigation import Area, area_of, main_areas
from tests import factories

pytestmark = pytest.mark.django_db


def menu(html: str) -> list[str]:
    """The labels of the main menu, in order."""
    nav = re.search(r'<nav class="imenu[^"]*" aria-label="Huvudmeny">(.*?)</nav>', html, re.S)
    assert nav, "no main menu"
    return re.findall(r'anchor-container">([^<]+)<', nav.group(1))


def breadcrumbs(html: str) -> list[str]:
    nav = re.search(r'<nav[^>]*aria-label="Brödsmulor"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r">([^<>]+)</a>", nav.group(1)) if nav else []


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


# --- pure rules -------------------------------------------------------------------------------


def test_each_role_opens_its_areas_in_menu_order():
    assert main_areas(frozenset({Role.PARTICIPANT_OFFICER})) == [Area.PARTICIPANTS]
    assert main_areas(frozenset({Role.ASSOCIATION_ADMIN})) == [
        Area.INTERVENTIONS, Area.FINANCE, Area.REPORTS, Area.ADMINISTRATION]
    assert main_areas(frozenset({Role.AUDITOR, Role.REPORT_READER})) == [
        Area.REPORTS, Area.AUDIT]
    assert main_areas(frozenset({Role.SYSTEM_ADMIN})) == [Area.FINANCE, Area.ADMINISTRATION]
    assert main_areas(frozenset()) == []


def test_a_page_belongs_to_the_area_of_its_app():
    assert area_of("participants", "detail") is Area.PARTICIPANTS
    assert area_of("indicators", "report") is Area.REPORTS
    assert area_of("reference", "code_lists") is Area.ADMINISTRATION
    assert area_of("access", "association_users") is Area.ADMINISTRATION
    assert area_of("access", "api_tokens") is Area.ACCOUNT
    assert area_of("", "mfa_index") is Area.ACCOUNT
    assert area_of("web", "home") is None


# --- the header -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer_a", ["Start", "Deltagare"]),
        ("manager_a", ["Start", "Insatser", "Rapporter"]),
        ("admin_a", ["Start", "Insatser", "Ekonomi", "Rapporter", "Administration"]),
        ("reader_a", ["Start", "Rapporter"]),
        ("auditor_a", ["Start", "Granskning"]),
        ("sysadmin", ["Start", "Ekonomi", "Administration"]),
        ("national_reader", ["Start", "Rapporter"]),
    ],
)
def test_main_menu_shows_only_the_areas_the_roles_allow(personas, client_for, persona, expected):
    html = client_for(getattr(personas, persona)).get("/").content.decode()
    assert menu(html) == expected
    assert html.count(">Mitt konto<") == 1 and html.count(">Logga ut<") == 1


@pytest.mark.parametrize(
    "persona", ["officer_a", "manager_a", "admin_a", "reader_a", "auditor_a", "sysadmin",
                "national_reader"]
)
def test_every_menu_link_opens(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    html = client.get("/").content.decode()
    nav = re.search(r'aria-label="Huvudmeny">(.*?)</nav>', html, re.S).group(1)
    for href in re.findall(r'href="([^"]+)"', nav):
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


def test_one_forbund_is_named_in_the_header_without_a_switcher(personas, client_for):
    html = client_for(personas.officer_a).get("/").content.decode()
    assert 'class="current-association"' in html and "Samordningsförbundet Alfa" in html
    assert "association-switcher" not in html


def test_a_user_with_several_forbund_switches_with_a_plain_form(personas, client_for):
    factories.grant(personas.admin_a, Role.ASSOCIATION_ADMIN.value, personas.b)
    client = client_for(personas.admin_a)
    html = client.get("/").content.decode()
    assert '<select id="association-switcher" name="association">' in html
    # the menu is for the first förbund by name: Alfa
    assert f'href="/ekonomi/forbund/{personas.a.pk}/"' in html
    response = client.post(reverse("web:choose_association"), {"association": personas.b.pk})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert f'href="/ekonomi/forbund/{personas.b.pk}/"' in html
    assert f'<option value="{personas.b.pk}" selected>' in html


def test_switching_to_a_forbund_without_a_role_is_refused(personas, client_for):
    client = client_for(personas.officer_a)
    response = client.post(reverse("web:choose_association"), {"association": personas.b.pk})
    assert response.status_code == 404
    assert client.post(reverse("web:choose_association"), {"association": "x"}).status_code == 404


# --- breadcrumbs and titles -------------------------------------------------------------------


def test_breadcrumbs_below_the_start_page_and_the_title_says_where_you_are(personas, client_for):
    client = client_for(personas.admin_a)
    home = client.get("/").content.decode()
    assert breadcrumbs(home) == []
    assert title(home) == "Start – Stegvis"
    page = client.get(reverse("associations:detail", args=[personas.a.pk])).content.decode()
    assert breadcrumbs(page) == ["Start", "Administration"]
    assert title(page) == "Samordningsförbundet Alfa – Administration – Stegvis"
    account = client.get(reverse("access:api_tokens")).content.decode()
    assert breadcrumbs(account) == ["Start", "Mitt konto"]
    overview = client.get(reverse("finance:index")).content.decode()
    assert breadcrumbs(overview) == ["Start"]
    assert title(overview) == "Ekonomi – Stegvis"


def test_deeper_pages_keep_their_own_trail_from_start(personas, client_for):
    html = client_for(personas.admin_a).get(
        reverse("interventions:list", args=[personas.a.pk])).content.decode()
    assert breadcrumbs(html)[0] == "Start"
    assert html.count('aria-label="Brödsmulor"') == 1


# --- administration page ----------------------------------------------------------------------


def test_administration_page_per_role(personas, client_for):
    html = client_for(personas.admin_a).get(reverse("web:administration")).content.decode()
    assert f'href="/konto/forbund/{personas.a.pk}/anvandare/"' in html
    assert "Kodlistor" not in html
    html = client_for(personas.sysadmin).get(reverse("web:administration")).content.decode()
    assert 'href="/kodlistor/"' in html and 'href="/forbund/"' in html
    assert client_for(personas.officer_a).get(reverse("web:administration")).status_code == 403


# --- accessibility statement ------------------------------------------------------------------


def test_accessibility_statement_is_dated_and_names_its_known_gaps(client):
    html = client.get(reverse("web:accessibility")).content.decode()
    assert '<time datetime="2026-12-01">1 december 2026</time>' in html
    assert "delvis förenlig" in html
    assert "320" in html and "kräver JavaScript" in html
    assert "Vi känner inte till några brister" not in html

"""Issue 11: every role's main menu leads to pages that pass axe at 1 280 and 320 px and reflow
at 320 px; the förbund switcher works without JavaScript; the layout is the same everywhere."""

from __future__ import annotations

import pytest

from stegvis.access.roles import Role
from tests import factories
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.system.conftest import NARROW, check_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {
    "admin_a": (None, ["Start", "Insatser", "Ekonomi", "Rapporter", "Administration"]),
    "manager_a": (None, ["Start", "Insatser", "Rapporter"]),
    "officer_a": (TOTP_SECRET, ["Start", "Deltagare"]),
    "reader_a": (None, ["Start", "Rapporter"]),
    "auditor_a": (None, ["Start", "Granskning"]),
    "sysadmin": (None, ["Start", "Ekonomi", "Administration"]),
    "national_reader": (None, ["Start", "Rapporter"]),
}


def menu_links(page) -> list[tuple[str, str]]:
    menu = page.get_by_role("navigation", name="Huvudmeny")
    return [(a.inner_text().strip(), a.get_attribute("href"))
            for a in menu.get_by_role("link").all()]


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_of_the_main_menu_per_role(page, personas, insats, username):
    secret, expected = ROLES[username]
    sign_in(page, username, PASSWORD, secret)
    links = menu_links(page)
    assert [label for label, _href in links] == expected
    for label, href in links:
        check_page(page, href)
        # where you are: the menu item is marked, the title names the page
        current = page.get_by_role("navigation", name="Huvudmeny").locator("[aria-current]")
        assert current.inner_text().strip() == label, href
        if label != "Start":
            assert page.get_by_role("navigation", name="Brödsmulor").count() == 1, href
        assert page.title().endswith("– Stegvis")
    # the user menu and the accessibility statement, signed in
    page.get_by_role("navigation", name="Användarmeny").get_by_role(
        "link", name="Mitt konto").click()
    check_page(page)
    check_page(page, "/tillganglighet/")


def test_pages_reached_from_the_administration_page(page, personas):
    sign_in(page, "admin_a", PASSWORD)
    check_page(page, "/administration/")
    for name in ("Förbundets uppgifter", "Användare och roller", "Kompletterande frågor"):
        page.goto("/administration/")
        page.get_by_role("main").get_by_role("link", name=name).click()
        check_page(page)
    check_page(page, "/insatser/")


def test_forbund_switcher_without_javascript(browser, live_server, personas):
    factories.grant(personas.admin_a, Role.ASSOCIATION_ADMIN.value, personas.b)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE",
                                  java_script_enabled=False, viewport=NARROW)
    page = context.new_page()
    try:
        sign_in(page, "admin_a", PASSWORD)
        ekonomi = page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Ekonomi")
        assert ekonomi.get_attribute("href") == f"/ekonomi/forbund/{personas.a.pk}/"
        switcher = page.get_by_label("Samordningsförbund", exact=True)
        switcher.select_option(label="Samordningsförbundet Beta")
        page.get_by_role("button", name="Byt förbund").click()
        page.wait_for_load_state()
        assert ekonomi.get_attribute("href") == f"/ekonomi/forbund/{personas.b.pk}/"
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    finally:
        context.close()


def test_destructive_buttons_stand_out(page, personas, participation):
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    check_page(page, f"/deltagare/{participation.pk}/aterkalla-samtycke/")
    button = page.get_by_role("button", name="Radera uppgifterna")
    colours = button.evaluate(
        "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
    assert colours == ["rgb(176, 16, 16)", "rgb(255, 255, 255)"]

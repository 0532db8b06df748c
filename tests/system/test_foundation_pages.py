"""Every page of the foundation passes axe (WCAG 2.1 A/AA) with zero violations."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.system.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_and_accessibility_statement_are_accessible(page):
    page.goto("/konto/login/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)
    page.goto("/tillganglighet/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tillgänglighetsredogörelse")
    assert_accessible(page)


def test_association_admin_pages_are_accessible(page, personas):
    sign_in(page, "admin_a", PASSWORD)
    assert page.get_by_role("heading", name="Samordningsförbundet Alfa").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Förbundets uppgifter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Samordningsförbundet Alfa"
    assert_accessible(page)


def test_skip_link_moves_focus_to_main(page, personas):
    sign_in(page, "admin_a", PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till huvudinnehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

"""htmx where it helps: report filters, the audit log's filters and paging, the what-if form.

With JavaScript the form (or page link) swaps its region in place and the address changes to
the filtered URL, so it can be bookmarked, shared and reloaded; a mistake shows the error
summary in place. Without JavaScript the same forms and links load the whole page. Neither
breaks the content security policy (htmx is the vendored file; nothing inline).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.finance import services as finance
from tests.conftest import PASSWORD
from tests.finance.test_national import GOOD, SCALE
from tests.system.conftest import WIDE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_js_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport=WIDE, java_script_enabled=False
    )
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


def csp_violations(page: Page) -> list[str]:
    """Console messages of content security policy refusals, collected from now on."""
    found: list[str] = []
    page.on(
        "console",
        lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return found


def mark_document(page: Page) -> None:
    """Mark this document: a full page load forgets the mark, an in-place update keeps it."""
    page.evaluate("window.stillTheSamePage = true")


def same_document(page: Page) -> bool:
    return page.evaluate("window.stillTheSamePage === true")


# --- reports ----------------------------------------------------------------------------------


def test_report_filters_update_in_place_and_push_the_url(page, no_js_page, personas):
    violations = csp_violations(page)
    sign_in(page, "reader_a", PASSWORD)
    page.goto("/rapporter/standard/")
    mark_document(page)
    page.get_by_label("Period", exact=True).fill("2023")
    page.get_by_role("button", name="Visa rapport").click()
    page.wait_for_url("**/rapporter/standard/?*period=2023*")
    # htmx pushes the address and then swaps: wait for the content, not only the address
    expect(page.locator("#report-area dl.meta")).to_contain_text("2023-01-01")
    assert same_document(page), "the report should update in place"
    # a wrong period: the error summary appears in place and takes the focus
    page.get_by_label("Period", exact=True).fill("fel")
    page.get_by_role("button", name="Visa rapport").click()
    page.wait_for_url("**period=fel*")
    expect(page.locator(".error-summary")).to_be_focused()
    assert same_document(page)
    # the pushed address is a real page: reloading it shows the same filtered report
    page.goto("/rapporter/standard/?period=2023")
    assert "2023-01-01" in page.locator("dl.meta").inner_text()
    assert page.get_by_role("heading", level=1).count() == 1
    assert violations == []

    # without JavaScript the same form loads the whole page
    sign_in(no_js_page, "reader_a", PASSWORD)
    no_js_page.goto("/rapporter/standard/")
    no_js_page.get_by_label("Period", exact=True).fill("2023")
    no_js_page.get_by_role("button", name="Visa rapport").click()
    no_js_page.wait_for_url("**/rapporter/standard/?*period=2023*")
    assert "2023-01-01" in no_js_page.locator("dl.meta").inner_text()
    assert no_js_page.get_by_role("heading", level=1).count() == 1


# --- the audit log ----------------------------------------------------------------------------


def test_audit_log_filters_and_pages_update_in_place(page, no_js_page, personas):
    for n in range(60):
        record_event(actor=personas.admin_a, action=Action.READ, association=personas.a,
                     object_type="test.object", object_id=n)
    violations = csp_violations(page)
    sign_in(page, "auditor_a", PASSWORD)
    page.goto("/granskning/")
    mark_document(page)
    page.get_by_label("Användare").fill("admin_a")
    page.get_by_role("button", name="Visa händelser").click()
    page.wait_for_url("**/granskning/?*actor_username=admin_a*")
    caption = page.locator("#audit-log table caption")
    expect(caption).to_contain_text("60 händelser")
    expect(caption).to_contain_text("sida 1 av 2")
    page.get_by_role("link", name="Nästa sida").click()
    page.wait_for_url("**page=2*")
    expect(page.locator("#audit-log table caption")).to_contain_text("sida 2 av 2")
    assert "actor_username=admin_a" in page.url
    assert same_document(page), "filtering and paging should update in place"
    assert violations == []

    sign_in(no_js_page, "auditor_a", PASSWORD)
    no_js_page.goto("/granskning/")
    no_js_page.get_by_label("Användare").fill("admin_a")
    no_js_page.get_by_role("button", name="Visa händelser").click()
    no_js_page.wait_for_url("**actor_username=admin_a*")
    assert "sida 1 av 2" in no_js_page.locator("table caption").inner_text()
    no_js_page.get_by_role("link", name="Nästa sida").click()
    no_js_page.wait_for_url("**page=2*")
    assert "sida 2 av 2" in no_js_page.locator("table caption").inner_text()


# --- the what-if form -------------------------------------------------------------------------


def test_what_if_form_updates_in_place(page, no_js_page, personas):
    year = 2025
    finance.parameters_create(
        actor=personas.sysadmin, allocation_year=year, state_total="10 000 000",
        base_amount="400 000", key_support_pct="75", key_population_pct="25", age_to="64",
        max_reduction_pct="10", equity_scale=SCALE,
    )
    finance.allocation_inputs_import(actor=personas.sysadmin, allocation_year=year, text=GOOD)
    url = f"/ekonomi/statlig-fordelning/{year}/tank-om/"
    violations = csp_violations(page)
    sign_in(page, "sysadmin", PASSWORD)
    page.goto(url)
    mark_document(page)
    page.get_by_label("Grundbelopp per förbund").fill("0")
    page.get_by_role("button", name="Räkna").click()
    page.wait_for_url("**/tank-om/?*base_amount=0*")
    page.get_by_role("heading", name="Jämförelse").wait_for()
    assert same_document(page), "the comparison should appear in place"
    # a number that is not one: the error summary appears in place and takes the focus
    page.get_by_label("Statens totala belopp").fill("1,234")
    page.get_by_role("button", name="Räkna").click()
    page.wait_for_url("**state_total=1%2C234*")
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.get_by_role("heading", name="Jämförelse").count() == 0
    assert same_document(page)
    assert violations == []

    cache.clear()  # allauth refuses a TOTP code used twice within its period
    sign_in(no_js_page, "sysadmin", PASSWORD)
    no_js_page.goto(url)
    no_js_page.get_by_label("Grundbelopp per förbund").fill("0")
    no_js_page.get_by_role("button", name="Räkna").click()
    no_js_page.wait_for_url("**base_amount=0*")
    assert no_js_page.get_by_role("heading", name="Jämförelse").count() == 1

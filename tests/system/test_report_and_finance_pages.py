"""Issues 4 and 5: the report pages and the finance pages pass axe (WCAG 2.1 A/AA) with zero
violations, and wide tables that scroll can be reached with the keyboard."""

from __future__ import annotations

import pytest

from stegvis.finance import services as finance
from tests.conftest import PASSWORD
from tests.finance.conftest import YEAR, insatser_a, key_a  # noqa: F401 (fixtures)
from tests.finance.test_national import GOOD, SCALE
from tests.indicators.conftest import scenario  # noqa: F401 (fixture)
from tests.system.conftest import check_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

REPORTS = ["standard", "deltagare", "insatser", "kostnader", "uppfoljning", "tackning",
           "indikatorer"]


def assert_scroll_regions_reachable(page) -> None:
    """Every horizontally scrolling table wrapper is a named, focusable region."""
    bad = page.evaluate(
        """() => Array.from(document.querySelectorAll('.table-scroll')).filter(
            el => el.getAttribute('tabindex') !== '0' || el.getAttribute('role') !== 'region'
                  || !el.getAttribute('aria-label')).map(el => el.outerHTML.slice(0, 120))"""
    )
    assert bad == [], f"{page.url}: scrolling tables not reachable by keyboard: {bad}"


def test_report_pages_for_forbund_reader(page, scenario):  # noqa: F811
    a = scenario.personas.a
    sign_in(page, "reader_a", PASSWORD)
    check_page(page, "/rapporter/")
    check_page(page, f"/rapporter/forbund/{a.pk}/")
    assert_scroll_regions_reachable(page)
    for name in REPORTS:
        check_page(page, f"/rapporter/{name}/?period=2024")
        assert page.locator("main table").count() >= 1, f"{name}: no table"
        assert_scroll_regions_reachable(page)
    # a bad period: the form's error summary passes axe as well
    check_page(page, "/rapporter/standard/?period=tjugotjugofyra", status=400)


def test_national_report_for_national_reader(page, scenario):  # noqa: F811
    sign_in(page, "national_reader", PASSWORD)
    check_page(page, "/rapporter/")
    check_page(page, "/rapporter/nationellt/?period=2024")
    assert page.locator("main table").count() >= 1
    assert_scroll_regions_reachable(page)
    check_page(page, "/rapporter/standard/?period=2024")


def test_finance_pages_for_forbund_admin(page, personas, key_a, insatser_a):  # noqa: F811
    a = personas.a
    finance.finance_year_set(actor=personas.admin_a, association=a, year=YEAR,
                             frame="2 000 000", opening_equity="100 000")
    sign_in(page, "admin_a", PASSWORD)
    check_page(page, "/ekonomi/")
    check_page(page, f"/ekonomi/forbund/{a.pk}/")
    base = f"/ekonomi/forbund/{a.pk}/{YEAR}/"
    check_page(page, base)
    assert_scroll_regions_reachable(page)
    check_page(page, base + "ram/")
    check_page(page, base + "utfall/")
    # a budget draft and its page; adopting it without a decision date shows the errors
    page.goto(base)
    page.locator("form[action$='budget/ny/'] button[type=submit]").click()
    page.wait_for_load_state()
    check_page(page)
    assert page.url.endswith(base + "budget/1/"), page.url
    page.get_by_role("button", name="Fastställ och lås").click()  # no decision date
    page.wait_for_load_state()
    check_page(page)
    assert page.locator(".error-summary").count() == 1
    # the year form with a bad frame: the error summary passes axe
    page.goto(base + "ram/")
    page.get_by_label("Ram", exact=False).first.fill("tusen")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    check_page(page)
    assert page.locator(".error-summary").count() == 1


def test_national_allocation_pages_for_sysadmin(page, personas):
    year = 2025
    finance.parameters_create(
        actor=personas.sysadmin, allocation_year=year, state_total="10 000 000",
        base_amount="400 000", key_support_pct="75", key_population_pct="25", age_to="64",
        max_reduction_pct="10", equity_scale=SCALE,
    )
    finance.allocation_inputs_import(actor=personas.sysadmin, allocation_year=year, text=GOOD)
    sign_in(page, "sysadmin", PASSWORD)
    check_page(page, "/ekonomi/statlig-fordelning/")
    check_page(page, "/ekonomi/statlig-fordelning/parametrar/")
    for part in ("", "import/", "tank-om/", "forhandsbesked/", "beslut/"):
        check_page(page, f"/ekonomi/statlig-fordelning/{year}/{part}")
        assert_scroll_regions_reachable(page)
    check_page(page, f"/ekonomi/statlig-fordelning/{year}/tank-om/?base_amount=0"
                     "&new_name=Nytt&kommunkoder=0136")
    check_page(page, f"/ekonomi/statlig-fordelning/{year}/tank-om/?state_total=1,234",
               status=400)

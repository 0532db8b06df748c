"""Issue 13: the register extract, legal hold and correction history pages pass axe (WCAG 2.1
A/AA) with zero violations and work with plain forms (no JavaScript needed)."""

from __future__ import annotations

import pytest

from stegvis.participants import services
from stegvis.privacy.models import LegalHold
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.participants.conftest import start_measurement
from tests.system.conftest import check_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def test_correction_history_hold_and_extract_pages(page, personas, participation):
    services.measurement_correct(
        actor=personas.officer_a, measurement=participation.measurements.get(),
        values=start_measurement(step="steg_2"),
    )
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    check_page(page, f"/deltagare/{participation.pk}/")
    history = page.get_by_role("table", name="Rättade uppgifter, äldst först", exact=False)
    assert "Steg 2" in history.inner_text()

    page.get_by_role("link", name="Bevarande (stoppa gallring)").click()
    check_page(page)
    assert h1(page) == f"Bevarande av deltagande {participation.pk}"
    page.get_by_role("button", name="Bevara deltagandet").click()  # no reason: an error
    check_page(page, None)
    assert page.locator(".error-summary").count() == 1
    page.get_by_label("Anledning till bevarande").fill("Pågående överklagande")
    page.get_by_role("button", name="Bevara deltagandet").click()
    check_page(page)
    assert LegalHold.objects.filter(participation=participation, released_at__isnull=True).exists()
    page.get_by_role("button", name="Häv beslutet").click()
    check_page(page)
    assert not LegalHold.objects.filter(released_at__isnull=True).exists()

    page.goto("/deltagare/")
    page.get_by_role("link", name="Registerutdrag för en person (PDF)").click()
    check_page(page)
    assert h1(page) == "Registerutdrag"
    page.get_by_label("Personnummer eller samordningsnummer").fill("12345")
    page.get_by_role("button", name="Skapa registerutdrag (PDF)").click()
    check_page(page)
    assert "Personnummer:" in page.locator(".error-summary").inner_text()


def test_forbund_holds_page(page, personas, participation):
    sign_in(page, "admin_a", PASSWORD)
    check_page(page, f"/forbund/{personas.a.pk}/")
    page.get_by_role("link", name="Bevarandebeslut (stoppa gallring)").click()
    check_page(page)
    page.get_by_label("Deltagande-id").fill(str(participation.pk))
    page.get_by_label("Anledning till bevarande").fill("Begäran från JO")
    page.get_by_role("button", name="Bevara deltagandet").click()
    check_page(page)
    assert page.get_by_role("table", name="Gällande bevarandebeslut").inner_text().count(
        "Begäran från JO") == 1

"""Issue 14 §2: the register matching pages pass axe with zero violations and work with plain
forms: an export refused with a clear error, an import previewed and then committed."""

from __future__ import annotations

import pyrage
import pytest

from stegvis.registry import rules, services
from stegvis.registry.models import CohortMember, RegisterOutcome
from tests import factories
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.system.conftest import check_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_export_and_import_pages(page, personas, participation, tmp_path):
    factories.totp(personas.admin_a)
    sign_in(page, "admin_a", PASSWORD, TOTP_SECRET)
    check_page(page, "/registermatchning/")
    page.get_by_label("Mottagare", exact=True).fill("SCB")
    page.get_by_label("Mottagarens publika age-nyckel").fill("inte en nyckel")
    page.get_by_role("button", name="Skapa krypterad kohortexport").click()
    check_page(page)
    summary = page.locator(".error-summary").inner_text()
    assert "Ändamål: ange ändamålet." in summary

    export = services.cohort_export(
        actor=personas.admin_a, association=personas.a, recipient="SCB",
        public_key=str(pyrage.x25519.Identity.generate().to_public()), purpose="Utvärdering",
        legal_basis="x").export
    key = CohortMember.objects.get(export=export).key
    upload = tmp_path / "scb.csv"
    upload.write_text(";".join(rules.OUTCOME_COLUMNS) + f"\n{key};2025-01;;1;0;0\n",
                      encoding="utf-8")
    page.goto("/registermatchning/")
    page.get_by_role("link", name=f"Importera för export {export.pk}").click()
    check_page(page)
    page.get_by_label("Registerhållarens fil (CSV, UTF-8)").set_input_files(str(upload))
    page.get_by_role("button", name="Förhandsgranska").click()
    check_page(page)
    assert "1 rader för 1 personer" in page.content()
    assert RegisterOutcome.objects.count() == 0
    page.get_by_role("button", name="Importera").click()
    check_page(page)
    assert RegisterOutcome.objects.count() == 1


def test_horizons_page_from_the_administration_menu_by_keyboard(page, personas):
    """The förbund administrator reaches the follow-up horizons and register matching from the
    Administration menu; the horizons form works by keyboard, axe-clean at 1 280 and 320 px."""
    from stegvis.followup.selectors import long_horizon_ids

    factories.totp(personas.admin_a)
    sign_in(page, "admin_a", PASSWORD, TOTP_SECRET)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Registermatchning (kohortexport och "
                                          "registeruppgifter)").count() == 1
    page.get_by_role("link", name="Uppföljningshorisonter").click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_label("3, 6, 12, 24 och 36 månader").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Spara").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Uppföljningshorisonterna är sparade." in page.content()
    assert long_horizon_ids() == {personas.a.pk}

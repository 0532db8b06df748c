"""Issue 3: the insats and participant pages pass axe (WCAG 2.1 A/AA) with zero violations,
and a participant can be registered with the keyboard alone."""

from __future__ import annotations

import datetime as dt

import pytest

from stegvis.interventions.models import Intervention
from stegvis.participants.models import Participation
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.participants.conftest import make_pnr
from tests.system.conftest import check_page, sign_in, type_date

pytestmark = pytest.mark.django_db(transaction=True)


def h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


# --- insatser ---------------------------------------------------------------------------------


def test_insats_list_create_detail_and_edit(page, personas, insats):
    a = personas.a
    sign_in(page, "manager_a", PASSWORD)
    page.get_by_role("link", name="Insatser", exact=True).first.click()
    check_page(page)
    assert page.get_by_role("link", name="Steg till arbete").is_visible()
    page.get_by_role("link", name="Ny insats").click()
    check_page(page)
    assert page.url.endswith(f"/insatser/forbund/{a.pk}/ny/")
    # an empty submission: an accessible error summary that has focus
    page.locator("main form button[type=submit]").click()
    check_page(page)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert Intervention.objects.count() == 1
    page.goto(f"/insatser/{insats.pk}/")
    check_page(page)
    assert h1(page) == "Steg till arbete"
    page.get_by_role("link", name="Ändra insatsen").click()
    check_page(page)


def test_insats_budget_and_assignments(page, personas, insats):
    sign_in(page, "manager_a", PASSWORD)
    page.goto(f"/insatser/{insats.pk}/")
    page.get_by_role("link", name="Budget per år").click()
    check_page(page)
    page.goto(f"/insatser/{insats.pk}/")
    page.get_by_role("link", name="Deltagaransvariga").click()
    check_page(page)
    assert page.get_by_text("officer_a").first.is_visible()


def test_insats_count_forms(page, personas, volume_insats):
    sign_in(page, "manager_a", PASSWORD)
    page.goto(f"/insatser/{volume_insats.pk}/")
    page.get_by_role("link", name="Volymräkningar: registrera, rätta, ta bort").click()
    check_page(page)
    check_page(page, f"/insatser/{volume_insats.pk}/anonyma/")
    assert h1(page) == "Anonym räkning per startår"


# --- deltagare --------------------------------------------------------------------------------


def assert_mandatory(page, ids: list[str], legends: list[str], optional: list[str]) -> None:
    """One way of marking: optional fields say "(frivilligt)" in their label; mandatory fields
    are not marked but are aria-required (a single check box is never marked)."""
    for field_id in ids:
        assert page.locator(f"#{field_id}").get_attribute("aria-required") == "true", field_id
        label = page.locator(f"label[for={field_id}]").inner_text()
        assert "(frivilligt)" not in label, f"{field_id}: {label}"
    for legend in legends:
        assert page.locator("legend", has_text=legend).count() == 1, legend
        assert page.locator("legend", has_text=legend).filter(
            has_text="(frivilligt)").count() == 0, legend
    for field_id in optional:
        field = page.locator(f"#{field_id}")
        assert field.get_attribute("aria-required") is None, field_id
        if field.get_attribute("type") != "checkbox":
            assert "(frivilligt)" in page.locator(f"label[for={field_id}]").inner_text()


def test_participant_start_worklist_and_registration_pages(page, personas, insats):
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    page.get_by_role("link", name="Deltagare", exact=True).first.click()
    check_page(page)
    assert h1(page) == "Deltagare"
    page.get_by_role("link", name="Steg till arbete", exact=True).click()
    check_page(page)
    page.get_by_role("link", name="Registrera deltagare").click()
    check_page(page)
    assert_mandatory(
        page,
        ["id_personnummer", "id_consent_date", "id_consent_form_version", "id_start_date",
         "id_referred_by", "id_residence", "id_education_level", "id_public_support_duration",
         "id_step"],
        ["Försörjning", "Sysselsättning och omfattning"],
        ["id_rating_health"],
    )
    # an empty submission: the error summary has focus, links to fields, passes axe
    page.get_by_role("button", name="Registrera deltagare").click()
    check_page(page)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    links = page.locator(".error-summary a[href^='#']")
    assert links.count() >= 1
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert page.locator(target).count() == 1, f"error link {target} points at nothing"
    assert Participation.objects.count() == 0
    check_page(page, "/deltagare/uppfoljning/")
    assert h1(page) == "Uppföljningar att göra"


def test_participant_page_end_and_measurement(page, personas, participation):
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    check_page(page, f"/deltagare/{participation.pk}/")
    page.get_by_role("link", name="Registrera delmätning").click()
    check_page(page)
    page.goto(f"/deltagare/{participation.pk}/")
    page.get_by_role("link", name="Avsluta deltagandet").click()
    check_page(page)
    assert h1(page) == "Avsluta deltagande"
    assert_mandatory(
        page,
        ["id_end_date", "id_exit_reason", "id_education_level", "id_step"],
        ["Försörjning", "Sysselsättning och omfattning"],
        ["id_rating_work"],
    )
    for path in ("felregistrering", "aterkalla-samtycke"):
        check_page(page, f"/deltagare/{participation.pk}/{path}/")
    check_page(page, f"/deltagare/matning/{participation.measurements.get().pk}/ratta/")
    # search by personnummer (a POST form): the result page
    page.goto("/deltagare/")
    page.get_by_label("Personnummer").fill(make_pnr(dt.date(1990, 5, 17), serial=42))
    page.get_by_role("button", name="Sök").click()
    check_page(page)
    assert page.locator(f"a[href='/deltagare/{participation.pk}/']").count() == 1


# --- keyboard only ----------------------------------------------------------------------------


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def tab_to(page, element_id: str, *, limit: int = 80) -> None:
    """Press Tab until the element with ``element_id`` has focus; its focus must be visible."""
    for _ in range(limit):
        if focused(page) == element_id:
            outline = page.evaluate(
                "getComputedStyle(document.activeElement).outlineStyle"
            )
            assert outline != "none", f"#{element_id} has no visible focus indicator"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_register_participant_with_keyboard_only(page, personas, insats):
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    page.goto(f"/deltagare/insats/{insats.pk}/registrera/")
    kb = page.keyboard
    pnr = make_pnr(dt.date(1988, 3, 9), serial=17)

    tab_to(page, "id_personnummer")
    kb.type(pnr)
    tab_to(page, "id_consent_date")
    type_date(page, dt.date(2024, 1, 25))
    tab_to(page, "id_consent_form_version")
    kb.type("2024:1")
    tab_to(page, "id_consent_scope_registration")
    # Shift+Tab goes back to the previous field, Tab forward again
    kb.press("Shift+Tab")
    assert focused(page) == "id_consent_form_version"
    kb.press("Tab")
    # not ticked in advance (issue 11): the officer confirms the consent themselves
    assert not page.locator("#id_consent_scope_registration").is_checked()
    kb.press("Space")
    assert page.locator("#id_consent_scope_registration").is_checked()
    tab_to(page, "id_consent_follow_up")
    kb.press("Space")
    assert page.locator("#id_consent_follow_up").is_checked()
    tab_to(page, "id_consent_sharing_parties_0")
    kb.press("Space")
    tab_to(page, "id_start_date")
    type_date(page, dt.date(2024, 2, 1))
    tab_to(page, "id_referred_by")
    kb.type("Arbetsf")
    tab_to(page, "id_residence")
    kb.type("Stockholm")
    tab_to(page, "id_income_sources_7")  # Försörjningsstöd
    kb.press("Space")
    assert page.locator("#id_income_sources_7").is_checked()
    tab_to(page, "id_activity_aktivt_arbetssokande")
    kb.type("50")
    tab_to(page, "id_education_level")
    kb.type("Gymnasial")
    tab_to(page, "id_public_support_duration")
    kb.type("2")
    tab_to(page, "id_step")
    kb.type("Steg 2")
    tab_to(page, "id_rating_health")
    kb.type("6")

    values = page.evaluate(
        """() => Object.fromEntries(['consent_date', 'start_date', 'referred_by', 'residence',
        'education_level', 'public_support_duration', 'step'].map(
            n => [n, document.getElementById('id_' + n).value]))"""
    )
    assert values == {
        "consent_date": "2024-01-25",
        "start_date": "2024-02-01",
        "referred_by": "arbetsformedlingen",
        "residence": "0180",
        "education_level": "gymnasial",
        "public_support_duration": "2_5_ar",
        "step": "steg_2",
    }

    for _ in range(10):  # on to the submit button, then Enter
        kb.press("Tab")
        if page.evaluate("document.activeElement.type === 'submit'"):
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Registrera deltagare"
    with page.expect_navigation():
        kb.press("Enter")
    errors = page.locator(".error-summary")
    assert errors.count() == 0, errors.inner_text()
    participation = Participation.objects.get()
    assert participation.intervention_id == insats.pk
    assert participation.start_date == dt.date(2024, 2, 1)
    assert participation.consent.scope_follow_up
    assert page.url.endswith(f"/deltagare/{participation.pk}/")
    check_page(page)

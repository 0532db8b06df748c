"""Issue 11, the daily work: destructive confirmations, the participant list and the readable
audit log, by keyboard at 320 and 1280 CSS px, with axe."""

from __future__ import annotations

import pytest

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.participants.models import Person
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.system.conftest import check_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1280)


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll} px wide at {width} px"


def tab_to(page, selector: str) -> None:
    """Tab (keyboard only) until ``selector`` has focus."""
    for _ in range(120):
        if page.evaluate(
            f"document.activeElement && document.activeElement.matches({selector!r})"
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focus_and_press(page, selector: str, key: str) -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def submit_by_keyboard(page) -> None:
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("width", WIDTHS)
def test_withdraw_consent_by_keyboard(page, personas, participation, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    url = f"/deltagare/{participation.pk}/aterkalla-samtycke/"
    check_page(page, url)
    fits(page, width)
    assert page.get_by_role("link", name="Avbryt").is_visible()
    # Submitting without the confirmation erases nothing and says why.
    submit_by_keyboard(page)
    check_page(page)
    fits(page, width)
    assert Person.objects.exists()
    focus_and_press(page, "#id_confirm", "Space")
    submit_by_keyboard(page)
    assert not Person.objects.exists()
    # (The reflow of the participant and list pages is the design system's test, all pages.)
    check_page(page, f"/deltagare/{participation.pk}/")
    assert page.get_by_text("Uppgifterna är raderade").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_mark_error_and_participant_list_by_keyboard(page, personas, participation, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    check_page(page, f"/deltagare/{participation.pk}/felregistrering/")
    fits(page, width)
    tab_to(page, "#id_reason")
    page.keyboard.type("Registrerad i fel insats")
    submit_by_keyboard(page)
    participation.refresh_from_db()
    assert participation.is_error
    check_page(page, f"/deltagare/insats/{participation.intervention_id}/?status=error")
    assert page.locator(f"a[href='/deltagare/{participation.pk}/']").count() == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_readable_audit_log(page, personas, width):
    record_event(
        actor=personas.admin_a, action=Action.UPDATE, obj=personas.a, association=personas.a,
        details={"name": "Alfa", "user": personas.officer_a.pk},
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "auditor_a", PASSWORD)
    check_page(page, "/granskning/?actor_username=admin")
    assert page.get_by_text("Användare: officer_a.").first.is_visible()
    assert page.get_by_role("link", name=f"Samordningsförbund nr {personas.a.pk}").count() == 1

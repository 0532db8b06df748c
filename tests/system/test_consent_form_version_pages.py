"""Issue 11: the consent form version is chosen from the managed list (Kodlistor) on the
registration page. By keyboard at 320 and 1 280 CSS px, with axe (check_page)."""

from __future__ import annotations

import datetime as dt

import pytest

from stegvis.codelists import services as reference_services
from stegvis.reference.models import CodeList
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.system.conftest import check_page, sign_in
from tests.system.test_daily_work_pages import fits, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1280)


@pytest.mark.parametrize("width", WIDTHS)
def test_version_chosen_from_the_managed_list_by_keyboard(page, personas, insats, width):
    page.set_viewport_size({"width": width, "height": 900})
    reference_services.code_create(
        actor=personas.sysadmin, list=CodeList.CONSENT_FORM_VERSION, key="v2026_1",
        label="2026:1", sort_order=20, valid_from=dt.date(2020, 1, 1),
    )
    sign_in(page, "sysadmin", PASSWORD, TOTP_SECRET)
    check_page(page, "/kodlistor/")
    fits(page, width)
    assert page.get_by_text("Koder i kodlistan Samtyckesblankettens version").is_visible()
    page.context.clear_cookies()
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    check_page(page, f"/deltagare/insats/{insats.pk}/registrera/")
    fits(page, width)
    select = page.locator("#id_consent_form_version")
    assert select.evaluate("el => el.tagName") == "SELECT"
    options = select.locator("option").all_inner_texts()
    assert options[1:] == ["2024:1", "2026:1"]
    tab_to(page, "#id_consent_form_version")
    page.keyboard.type("2026")
    assert select.input_value() == "2026:1"

"""Issue 11, insatser: the insats form reports every problem at once; volume counts are listed
before a new one is added and can be corrected or removed. By keyboard at 320 and 1 280 CSS px,
with axe (check_page)."""

from __future__ import annotations

import datetime as dt

import pytest

from stegvis.interventions import services
from stegvis.interventions.models import Intervention, VolumeCount
from stegvis.reference.models import Code, CodeList
from tests.conftest import PASSWORD
from tests.system.conftest import check_page, sign_in
from tests.system.test_administration_pages import follow_link, replace_text
from tests.system.test_daily_work_pages import fits, submit_by_keyboard, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1280)


@pytest.mark.parametrize("width", WIDTHS)
def test_insats_form_reports_every_problem_at_once(page, personas, width):
    page.set_viewport_size({"width": width, "height": 900})
    structural = Code.objects.get(
        list=CodeList.PRECISE_ORIENTATION, key="struktur_kompetensutveckling"
    )
    sign_in(page, "manager_a", PASSWORD)
    check_page(page, f"/insatser/forbund/{personas.a.pk}/ny/")
    fits(page, width)
    tab_to(page, "#id_description")
    page.keyboard.type("Stöd till unga.")
    tab_to(page, "#id_orientation_0")  # Individinriktad
    page.keyboard.press("Space")
    tab_to(page, "#id_precise_orientation")
    page.keyboard.type(structural.label.split()[0])  # type-ahead; a space would open the list
    assert page.locator("#id_precise_orientation").input_value() == str(structural.pk)
    submit_by_keyboard(page)
    check_page(page)
    summary = page.locator(".error-summary")
    for field in ("name", "precise_orientation", "target_groups", "start_date"):
        assert summary.locator(f"a[href='#id_{field}']").count() == 1, field
    assert page.get_by_text("hör till strukturövergripande insatser").first.is_visible()
    assert page.locator("#id_description").input_value() == "Stöd till unga."
    assert not Intervention.objects.exists()


@pytest.mark.parametrize("width", WIDTHS)
def test_volume_counts_listed_corrected_and_removed(page, personas, volume_insats, width):
    page.set_viewport_size({"width": width, "height": 900})
    services.volume_count_record(
        actor=personas.manager_a, intervention=volume_insats,
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 6, 30), total=30,
    )
    sign_in(page, "manager_a", PASSWORD)
    check_page(page, f"/insatser/{volume_insats.pk}/")
    follow_link(page, "Volymräkningar: registrera, rätta, ta bort")
    check_page(page)
    fits(page, width)
    assert page.locator("table").get_by_text("2024-01-01–2024-06-30").is_visible()
    follow_link(page, "Rätta perioden från 2024-01-01")
    check_page(page)
    replace_text(page, "#id_total", "31")
    submit_by_keyboard(page)
    assert VolumeCount.objects.get().total == 31
    check_page(page)
    follow_link(page, "Ta bort perioden från 2024-01-01")
    check_page(page)
    fits(page, width)
    assert page.get_by_role("link", name="Avbryt").is_visible()
    tab_to(page, "main form button.button--danger")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not VolumeCount.objects.exists()
    check_page(page)
    assert page.get_by_text("Inga perioder är registrerade ännu.").is_visible()

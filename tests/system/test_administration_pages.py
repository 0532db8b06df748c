"""Issue 11, administration: a förbund edited in the UI, national roles granted by the
systemadministratör, a temporary password changed at the first sign-in. By keyboard at 320
and 1 280 CSS px, with axe (check_page)."""

from __future__ import annotations

import pytest

from stegvis.access import services as access_services
from stegvis.access.models import PasswordChangeRequired, RoleGrant
from stegvis.access.roles import Role
from stegvis.associations.models import AreaPart, Association
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.system.conftest import check_page, sign_in, submit_login
from tests.system.test_daily_work_pages import fits, submit_by_keyboard, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1280)


def replace_text(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if text:
        page.keyboard.type(text)


def follow_link(page, name: str) -> None:
    link = page.get_by_role("link", name=name)
    href = link.get_attribute("href")
    tab_to(page, f"main a[href={href!r}]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("width", WIDTHS)
def test_forbund_name_dates_and_area_edited_by_keyboard(page, personas, width):
    page.set_viewport_size({"width": width, "height": 900})
    a = personas.a
    sign_in(page, "admin_a", PASSWORD, TOTP_SECRET)
    check_page(page, f"/forbund/{a.pk}/")
    follow_link(page, "Ändra namn, organisationsnummer och datum")
    check_page(page)
    fits(page, width)
    replace_text(page, "#id_name", "")  # an error first: nothing is lost, the summary leads
    submit_by_keyboard(page)
    check_page(page)
    assert page.locator(".error-summary a[href='#id_name']").count() == 1
    replace_text(page, "#id_name", "Samordningsförbundet Alfa Syd")
    submit_by_keyboard(page)
    assert Association.objects.get(pk=a.pk).name == "Samordningsförbundet Alfa Syd"
    check_page(page)
    assert page.get_by_text("Förbundets uppgifter har sparats.").is_visible()
    follow_link(page, "Ändra område")
    check_page(page)
    fits(page, width)
    tab_to(page, "#id_districts")
    page.keyboard.type("0136: Jordbro")
    submit_by_keyboard(page)
    check_page(page)
    assert list(
        AreaPart.objects.filter(association=a, municipality_id="0136").values_list(
            "district", flat=True)
    ) == ["Jordbro"]
    assert page.get_by_text("Kommundelar: Jordbro").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_national_role_granted_by_keyboard(page, personas, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "sysadmin", PASSWORD, TOTP_SECRET)
    check_page(page, "/administration/")
    follow_link(page, "Nationella roller")
    check_page(page)
    fits(page, width)
    # Oneself first: refused, and said so next to the field.
    tab_to(page, "#id_username")
    page.keyboard.type("sysadmin")
    tab_to(page, "#id_role")
    page.keyboard.type("Granskare")
    submit_by_keyboard(page)
    check_page(page, status=400)
    assert page.get_by_text("du kan inte ge dig själv en nationell roll").first.is_visible()
    replace_text(page, "#id_username", "auditor_a")
    tab_to(page, "#id_role")
    page.keyboard.type("Granskare")
    submit_by_keyboard(page)
    check_page(page)
    assert RoleGrant.objects.filter(user=personas.auditor_a, role=Role.AUDITOR.value,
                                    association=None).exists()
    assert not RoleGrant.objects.filter(user=personas.sysadmin, role=Role.AUDITOR.value).exists()
    assert page.get_by_role("rowheader", name="auditor_a").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_temporary_password_changed_at_first_sign_in(page, personas, width):
    page.set_viewport_size({"width": width, "height": 900})
    temporary = "Tillfalligt-losen-2026"
    user = access_services.user_create(
        actor=personas.sysadmin, username="ny.lasare", password=temporary,
        association=personas.a, role=Role.REPORT_READER,
    )
    submit_login(page, "ny.lasare", temporary)
    assert page.url.endswith("/konto/nytt-losenord/")
    check_page(page)
    fits(page, width)
    page.goto("/rapporter/")  # nothing else opens first
    assert page.url.endswith("/konto/nytt-losenord/")
    tab_to(page, "#id_current")
    page.keyboard.type(temporary)
    tab_to(page, "#id_password1")
    page.keyboard.type("mitt-eget-hemliga-losen-77")
    tab_to(page, "#id_password2")
    page.keyboard.type("mitt-eget-hemliga-losen-77")
    submit_by_keyboard(page)
    assert not PasswordChangeRequired.objects.filter(user=user).exists()
    check_page(page)
    assert page.get_by_text("Ditt nya lösenord är sparat.").is_visible()

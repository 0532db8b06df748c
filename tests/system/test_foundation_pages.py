"""Issue 2: every page of the foundation passes axe (WCAG 2.1 A/AA) with zero violations.

Each page is also checked for ``lang="sv"``, exactly one h1, and the skip link (``check_page``).
One sign-in per test; the browser is shared by the whole session.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from stegvis.access.models import ApiToken
from stegvis.associations.models import Association
from stegvis.audit.services import record_event
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.system.conftest import check_page, sign_in, submit_login

pytestmark = pytest.mark.django_db(transaction=True)


def h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


# --- signing in -------------------------------------------------------------------------------


def test_login_page_and_accessibility_statement(page):
    check_page(page, "/konto/login/")
    assert h1(page) == "Logga in"
    check_page(page, "/tillganglighet/")
    assert h1(page).startswith("Tillgänglighetsredogörelse")


def test_two_factor_prompt_is_accessible_and_signs_in(page, personas):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from tests.support.totp import lasting_code

    RecoveryCodes.activate(personas.officer_a)
    submit_login(page, "officer_a", PASSWORD)
    check_page(page)
    assert h1(page) == "Tvåfaktorsautentisering"
    page.get_by_label("Kod").fill(lasting_code(TOTP_SECRET))
    page.get_by_role("button", name="Logga in").click()
    check_page(page)
    assert h1(page) == "Start"
    check_page(page, reverse("mfa_index"))
    check_page(page, reverse("mfa_view_recovery_codes"))
    check_page(page, reverse("account_logout"))
    page.get_by_role("button", name="Logga ut").last.click()
    check_page(page)
    assert h1(page) == "Logga in"


def test_totp_setup_and_account_pages(page, personas):
    sign_in(page, "manager_a", PASSWORD)  # no authenticator yet
    check_page(page, "/konto/")
    assert h1(page) == "Mitt konto"
    page.get_by_role("link", name="Tvåfaktorsautentisering").click()
    check_page(page)
    check_page(page, reverse("mfa_activate_totp"))
    # the QR code has a text alternative and the key is also given as text
    assert page.locator("img.totp-qr").get_attribute("alt")
    check_page(page, reverse("account_change_password"))


# --- start page per role ----------------------------------------------------------------------

START_LINKS = {
    "admin_a": ("Samordningsförbundet Alfa", "Förbundets uppgifter", None),
    "manager_a": ("Samordningsförbundet Alfa", "Insatser", None),
    "officer_a": ("Samordningsförbundet Alfa", "Deltagare", TOTP_SECRET),
    "reader_a": ("Samordningsförbundet Alfa", "Rapporter och resultat", None),
    "auditor_a": ("Samordningsförbundet Alfa", "Granskningslogg", None),
    "sysadmin": ("Hela landet", "Kodlistor", None),
    "national_reader": ("Hela landet", "Rapporter och resultat", None),
}


@pytest.mark.parametrize("username", list(START_LINKS))
def test_start_page_per_role(page, personas, username):
    heading, link, secret = START_LINKS[username]
    sign_in(page, username, PASSWORD, secret)
    check_page(page, "/")
    assert h1(page) == "Start"
    assert page.get_by_role("heading", level=2, name=heading).is_visible()
    assert page.get_by_role("link", name=link, exact=True).first.is_visible()


# --- förbund ----------------------------------------------------------------------------------


def test_association_list_and_create_forms(page, personas):
    sign_in(page, "sysadmin", PASSWORD)
    check_page(page, "/forbund/")
    assert page.get_by_role("link", name="Samordningsförbundet Alfa").is_visible()
    page.get_by_role("link", name="Nytt samordningsförbund").first.click()
    check_page(page)
    assert h1(page) == "Nytt samordningsförbund"
    check_page(page, reverse("associations:organisation_create"))


def test_association_page_and_its_forms(page, personas):
    a = personas.a
    sign_in(page, "admin_a", PASSWORD)
    check_page(page, f"/forbund/{a.pk}/")
    assert h1(page) == "Samordningsförbundet Alfa"
    page.get_by_role("link", name="Ändra fördelningsnyckeln").click()
    check_page(page)
    page.goto(f"/forbund/{a.pk}/")
    page.get_by_role("link", name="Lägg till medlemskap").click()
    check_page(page)
    page.goto(f"/forbund/{a.pk}/")
    page.get_by_role("link", name="Avsluta – Försäkringskassan").click()
    check_page(page)
    assert "/avsluta/" in page.url


def test_new_association_form_errors_are_accessible(page, personas):
    """An empty submission: the error summary gets focus, links to the fields, passes axe."""
    sign_in(page, "sysadmin", PASSWORD)
    page.goto("/forbund/nytt/")
    page.get_by_role("button", name="Skapa samordningsförbund").click()
    check_page(page)
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    links = summary.locator("a[href^='#']")
    assert links.count() >= 2
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert page.locator(target).count() == 1, f"error link {target} points at nothing"
    # following a link moves focus to that field
    first = links.first.get_attribute("href")
    links.first.click()
    assert page.evaluate("document.activeElement.id") == first[1:]
    assert Association.objects.count() == 2


# --- audit, code lists, users, API keys ----------------------------------------------------------


def test_audit_review_page(page, personas):
    record_event(actor=personas.admin_a, action="update", obj=personas.a,
                 association=personas.a, details={"name": "Samordningsförbundet Alfa"})
    sign_in(page, "auditor_a", PASSWORD)
    page.get_by_role("link", name="Granskningslogg").click()
    check_page(page)
    assert page.locator("table").count() >= 1
    # a filter the page cannot use is reported accessibly
    check_page(page, f"/granskning/?association={personas.a.pk}&from=inte-ett-datum")


def test_code_lists_and_their_forms(page, personas):
    sign_in(page, "sysadmin", PASSWORD)
    check_page(page, "/kodlistor/")
    assert h1(page) == "Kodlistor"
    page.locator("a[href$='/ny/']").first.click()
    check_page(page)
    # an empty submission shows an accessible error summary
    page.locator("main form button[type=submit]").click()
    check_page(page)
    assert page.locator(".error-summary a").count() >= 1
    page.goto("/kodlistor/")
    page.locator("a[href*='/avsluta/']").first.click()
    check_page(page)


def test_user_management_pages(page, personas):
    a = personas.a
    sign_in(page, "admin_a", PASSWORD)
    check_page(page, "/konto/")
    page.get_by_role("link", name="Användare i Samordningsförbundet Alfa").click()
    check_page(page)
    assert page.get_by_role("link", name="reader_a").is_visible()
    page.get_by_role("link", name="reader_a").click()
    check_page(page)
    check_page(page, f"/konto/forbund/{a.pk}/anvandare/ny/")
    page.locator("main form button[type=submit]").click()
    check_page(page)
    assert page.locator(".error-summary").count() == 1
    # Access reset: confirmation, then the one-time activation code; the activation page.
    check_page(page, f"/konto/forbund/{a.pk}/anvandare/{personas.reader_a.pk}/ny-inloggning/")
    page.get_by_role("button", name="Återställ åtkomsten och skapa aktiveringskod").click()
    check_page(page)
    assert page.locator(".activation-code").is_visible()
    check_page(page, "/konto/aktivera/")
    page.get_by_role("button", name="Spara lösenordet").click()
    check_page(page)
    assert page.locator(".error-summary").count() == 1


def test_api_token_page(page, personas):
    sign_in(page, "reader_a", PASSWORD)
    check_page(page, "/konto/api-nycklar/")
    page.get_by_label("Namn").fill("Rapportverktyg")
    page.get_by_role("button", name="Skapa nyckel").click()
    check_page(page)
    assert ApiToken.objects.filter(user=personas.reader_a).count() == 1


# --- error pages --------------------------------------------------------------------------------


def test_not_found_and_forbidden_pages(page, personas):
    sign_in(page, "admin_a", PASSWORD)
    check_page(page, "/finns-inte/", status=404)
    check_page(page, f"/forbund/{personas.b.pk}/", status=404)  # another förbund: not found
    check_page(page, "/kodlistor/", status=403)  # a role, but not the capability


def test_login_errors_are_accessible(page, personas):
    page.goto("/konto/login/")
    page.get_by_label("Användarnamn").fill("admin_a")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    check_page(page)
    assert page.locator(".error-summary").count() == 1
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")


# --- skip link and structure --------------------------------------------------------------------


def test_skip_link_moves_focus_to_main(page, personas):
    sign_in(page, "admin_a", PASSWORD)
    for url in ("/", f"/forbund/{personas.a.pk}/", "/konto/"):
        page.goto(url)
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Hoppa till huvudinnehållet"
        assert page.locator(".skip-link").is_visible()  # visible when it has focus
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # the next Tab goes into the main content, not back to the header
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)")

"""Sign-in with e-legitimation in a real browser, through a real OIDC IdP; pages pass axe."""

from __future__ import annotations

import pytest

from stegvis.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD
from tests.eid.conftest import (
    LOA3,
    OIDC_CALLBACK,
    configure,
    make_eid_users,
    oidc_env,
    running_oidc_idp,
)
from tests.system.conftest import check_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eid_users(personas):
    return make_eid_users(personas)


@pytest.fixture
def browser_oidc(settings, live_server):
    with running_oidc_idp(live_server.url + OIDC_CALLBACK) as idp:
        configure(settings, oidc_env(idp))
        yield idp


def idp_sign_in(page, account: str) -> None:
    page.get_by_role("button", name="Logga in med Freja eID").click()
    page.wait_for_load_state()
    page.get_by_label("Konto").fill(account)
    page.get_by_label("Tillitsnivå").fill(LOA3)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def test_eid_sign_in_in_the_browser(page, browser_oidc, eid_users):
    check_page(page, "/konto/login/")
    idp_sign_in(page, "officer")
    assert page.get_by_role("button", name="Logga ut").count() == 1, page.url
    check_page(page)
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=eid_users.officer).exists()


def test_refusal_page_is_accessible(page, browser_oidc, eid_users):
    page.goto("/konto/login/")
    idp_sign_in(page, "unknown")
    assert page.get_by_text("Det finns inget konto i Stegvis").count() == 1
    check_page(page)


def test_identity_page_and_its_errors_are_accessible(page, personas):
    sign_in(page, "admin_a", PASSWORD)
    page.goto(f"/konto/forbund/{personas.a.pk}/anvandare/{personas.manager_a.pk}/")
    page.get_by_role("link", name="E-legitimation (HSA-id eller personnummer)").click()
    check_page(page)
    page.get_by_label("Typ av identitet").select_option("hsa_id")
    page.get_by_label("HSA-id eller personnummer").fill("fel")
    page.get_by_role("button", name="Registrera").click()
    check_page(page)
    assert page.locator(".error-summary").count() == 1
    page.get_by_label("HSA-id eller personnummer").fill("SE2321000016-ABCD")
    page.get_by_role("button", name="Registrera").click()
    check_page(page)
    assert page.get_by_role("button", name="Ta bort HSA-id").count() == 1

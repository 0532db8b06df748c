"""The förbundsadministratör's pages for users and roles (/konto/forbund/<id>/anvandare/)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from stegvis.access import scope
from stegvis.access.roles import Role
from stegvis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

User = get_user_model()


def users_url(association) -> str:
    return f"/konto/forbund/{association.pk}/anvandare/"


def test_admin_lists_own_association_users(personas, client_for):
    response = client_for(personas.admin_a).get(users_url(personas.a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<caption>" in body and 'scope="col"' in body
    for name in ("admin_a", "officer_a", "reader_a", "manager_a", "auditor_a"):
        assert name in body
    assert "admin_b" not in body
    assert "Deltagaransvarig" in body


@pytest.mark.parametrize("persona", ["manager_a", "reader_a", "officer_a", "auditor_a"])
def test_member_without_admin_role_is_refused(personas, client_for, persona):
    response = client_for(getattr(personas, persona)).get(users_url(personas.a))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Åtkomst nekad" in body
    others = {"admin_a", "manager_a", "officer_a", "reader_a", "auditor_a"} - {persona}
    assert not [name for name in others if name in body]


def test_outsider_gets_404(personas, client_for):
    response = client_for(personas.admin_b).get(users_url(personas.a))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Alfa" not in body and "officer_a" not in body
    assert "Sidan finns inte" in body


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(users_url(personas.a))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_admin_creates_user(personas, client_for):
    c = client_for(personas.admin_a)
    assert c.get(f"{users_url(personas.a)}ny/").status_code == 200
    response = c.post(
        f"{users_url(personas.a)}ny/",
        {"username": "ny_lasare", "password": "ett-bra-langt-losenord-9", "role": "rapportlasare"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = re.search(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}", response.content.decode()).group(0)
    user = User.objects.get(username="ny_lasare")
    assert scope.has_role(user, Role.REPORT_READER, personas.a)
    assert "ny_lasare" in c.get(users_url(personas.a)).content.decode()
    # The administrator chose no password (a posted one is ignored); the user does, with the code.
    assert not user.has_usable_password()
    activated = Client().post("/konto/aktivera/", {
        "username": "ny_lasare", "code": code, "password1": "mitt-eget-losenord-31",
        "password2": "mitt-eget-losenord-31"})
    assert activated.status_code == 302
    user.refresh_from_db()
    assert user.check_password("mitt-eget-losenord-31")
    event = AuditEvent.objects.get(details__change="activation_code")
    assert (event.actor, event.association_id) == (personas.admin_a, personas.a.pk)


def test_create_user_errors_are_summarised(personas, client_for):
    c = client_for(personas.admin_a)
    response = c.post(
        f"{users_url(personas.a)}ny/",
        {"username": "admin_a", "password": "kort", "role": "kung"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary" role="alert" tabindex="-1"' in body
    assert 'href="#id_role"' in body
    assert 'aria-describedby="id_role_error"' in body
    assert not User.objects.filter(username="kung").exists()
    response = c.post(
        f"{users_url(personas.a)}ny/",
        {"username": "admin_a", "password": "kort", "role": "rapportlasare"},
    )
    body = response.content.decode()
    assert "det finns redan en användare med det namnet" in body
    assert 'href="#id_username"' in body


def test_outsider_cannot_create_user(personas, client_for):
    response = client_for(personas.admin_b).post(
        f"{users_url(personas.a)}ny/",
        {"username": "smyg", "password": "ett-bra-langt-losenord-9", "role": "rapportlasare"},
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="smyg").exists()


def test_grant_and_revoke_on_user_page(personas, client_for):
    c = client_for(personas.admin_a)
    url = f"{users_url(personas.a)}{personas.manager_a.pk}/"
    page = c.get(url)
    assert page.status_code == 200
    assert "Ta bort rollen Insatsansvarig" in page.content.decode()
    assert c.post(url, {"role": "rapportlasare"}).status_code == 302
    assert scope.has_role(personas.manager_a, Role.REPORT_READER, personas.a)
    duplicate = c.post(url, {"role": "rapportlasare"})
    assert duplicate.status_code == 400
    assert "har redan rollen" in duplicate.content.decode()
    revoke = c.post(f"{url}ta-bort-roll/", {"role": "insatsansvarig"})
    assert revoke.status_code == 302
    scope.forget(personas.manager_a)
    assert not scope.has_role(personas.manager_a, Role.INTERVENTION_MANAGER, personas.a)


def test_revoke_needs_post(personas, client_for):
    c = client_for(personas.admin_a)
    response = c.get(f"{users_url(personas.a)}{personas.manager_a.pk}/ta-bort-roll/")
    assert response.status_code == 405


def test_grant_another_role_to_own_account_by_user_name(personas, client_for):
    c = client_for(personas.admin_a)
    response = c.post(users_url(personas.a), {"username": "Manager_A", "role": "rapportlasare"})
    assert response.status_code == 302
    assert scope.has_role(personas.manager_a, Role.REPORT_READER, personas.a)
    unknown = c.post(users_url(personas.a), {"username": "finns_inte", "role": "rapportlasare"})
    assert unknown.status_code == 400
    assert "det finns ingen sådan användare" in unknown.content.decode()


def test_other_associations_account_is_neither_found_nor_attached(personas, client_for):
    """An administrator of A typing the name of B's account learns nothing and changes
    nothing: the answer is the one for a name that does not exist."""
    personas.officer_b.first_name, personas.officer_b.last_name = "Berit", "Bengtsson"
    personas.officer_b.save()
    c = client_for(personas.admin_a)
    unknown = c.post(users_url(personas.a), {"username": "finns_inte", "role": "granskare"})
    for role in ("rapportlasare", "deltagaransvarig"):
        response = c.post(users_url(personas.a), {"username": "officer_b", "role": role})
        body = response.content.decode()
        assert response.status_code == 400
        assert "det finns ingen sådan användare" in body
        assert "Bengtsson" not in body and "Berit" not in body
        assert body.count("ingen sådan användare") == unknown.content.decode().count(
            "ingen sådan användare")
    scope.forget(personas.officer_b)
    assert set(scope.grants(personas.officer_b).by_association) == {personas.b.pk}


def test_system_admin_attaches_an_account_to_a_second_association(personas, client_for):
    c = client_for(personas.sysadmin)
    response = c.post(users_url(personas.a), {"username": "officer_b", "role": "rapportlasare"})
    assert response.status_code == 302
    assert scope.has_role(personas.officer_b, Role.REPORT_READER, personas.a)


def test_user_without_role_in_association_is_404(personas, client_for):
    c = client_for(personas.admin_a)
    # admin_b exists but holds no role in A: not reachable through A's pages.
    assert c.get(f"{users_url(personas.a)}{personas.admin_b.pk}/").status_code == 404
    response = c.post(
        f"{users_url(personas.a)}{personas.admin_b.pk}/ta-bort-roll/",
        {"role": "forbundsadministrator"},
    )
    assert response.status_code == 404
    assert scope.has_role(personas.admin_b, Role.ASSOCIATION_ADMIN, personas.b)


def test_outsider_cannot_revoke_through_pages(personas, client_for):
    c = client_for(personas.admin_b)
    response = c.post(
        f"{users_url(personas.a)}{personas.officer_a.pk}/ta-bort-roll/",
        {"role": "deltagaransvarig"},
    )
    assert response.status_code == 404
    assert scope.has_role(personas.officer_a, Role.PARTICIPANT_OFFICER, personas.a)


def test_sysadmin_manages_any_association(personas, client_for):
    response = client_for(personas.sysadmin).get(users_url(personas.b))
    assert response.status_code == 200
    assert "admin_b" in response.content.decode()


def test_account_page_links_only_managed_associations(personas, client_for):
    body = client_for(personas.admin_b).get("/konto/").content.decode()
    assert "Mitt konto" in body
    assert f"/konto/forbund/{personas.b.pk}/anvandare/" in body
    assert "Alfa" not in body
    manager = client_for(personas.manager_a).get("/konto/").content.decode()
    assert "/anvandare/" not in manager
    assert "/konto/api-nycklar/" in manager

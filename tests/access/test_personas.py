"""Personas: the outsider sees nothing of förbund A; roles' capabilities via the scope module."""

from __future__ import annotations

import pytest

from stegvis.access import scope, services
from stegvis.access.roles import Capability

pytestmark = pytest.mark.django_db


def a_urls(p) -> list[str]:
    a = p.a.pk
    return [
        f"/forbund/{a}/",
        f"/konto/forbund/{a}/anvandare/",
        f"/konto/forbund/{a}/anvandare/ny/",
        f"/konto/forbund/{a}/anvandare/{p.officer_a.pk}/",
        f"/konto/forbund/{a}/anvandare/{p.admin_a.pk}/",
    ]


A_DATA = ("Alfa", "officer_a", "admin_a", "manager_a", "reader_a", "auditor_a")


def test_outsider_gets_404_and_no_a_data_on_every_a_page(personas, client_for):
    c = client_for(personas.admin_b)
    for url in a_urls(personas):
        response = c.get(url)
        body = response.content.decode()
        assert response.status_code == 404, url
        assert not [word for word in A_DATA if word in body], url


def test_outsider_officer_gets_404_too(personas, client_for):
    c = client_for(personas.officer_b)
    for url in a_urls(personas):
        response = c.get(url)
        assert response.status_code == 404, url
        assert "Alfa" not in response.content.decode()


@pytest.mark.parametrize("persona", ["reader_a", "manager_a"])
def test_reader_and_manager_reach_no_personal_data_or_user_admin(personas, client_for, persona):
    user = getattr(personas, persona)
    assert not scope.can(user, Capability.PERSONAL_DATA, personas.a)
    assert not scope.can_anywhere(user, Capability.PERSONAL_DATA)
    assert not scope.can(user, Capability.MANAGE_ASSOCIATION, personas.a)
    response = client_for(user).get(f"/konto/forbund/{personas.a.pk}/anvandare/")
    assert response.status_code == 403


def test_reader_sees_reports_only(personas):
    assert scope.can(personas.reader_a, Capability.REPORTS, personas.a)
    assert not scope.can(personas.reader_a, Capability.VIEW_ASSOCIATION, personas.a)
    assert not scope.can(personas.reader_a, Capability.REPORTS, personas.b)


def test_national_reader_sees_no_personal_data(personas, client_for):
    reader = personas.national_reader
    assert not scope.can_anywhere(reader, Capability.PERSONAL_DATA)
    assert scope.association_ids(reader, Capability.PERSONAL_DATA) == set()
    assert scope.association_ids(reader, Capability.REPORTS) is None  # every förbund
    response = client_for(reader).get(f"/konto/forbund/{personas.a.pk}/anvandare/")
    assert response.status_code == 403


def test_only_officer_of_a_has_personal_data_in_a(personas):
    assert scope.can(personas.officer_a, Capability.PERSONAL_DATA, personas.a)
    assert not scope.can(personas.officer_a, Capability.PERSONAL_DATA, personas.b)
    for name in ("admin_a", "manager_a", "reader_a", "auditor_a", "admin_b", "officer_b",
                 "sysadmin", "national_reader"):
        assert not scope.can(getattr(personas, name), Capability.PERSONAL_DATA, personas.a), name


def test_api_outsider_token_404_and_no_token_401(personas, client):
    _token, key = services.api_token_create(actor=personas.admin_b, name="b")
    url = f"/api/v1/associations/{personas.a.pk}"
    response = client.get(url, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "finns inte" in response.json()["message"]
    assert "Alfa" not in response.content.decode()
    anonymous = client.get(url)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"

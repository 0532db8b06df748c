"""An outsider gets 404, never data, for another förbund's page and API object."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_member_sees_own_association_page(personas, client_for):
    response = client_for(personas.admin_a).get(f"/forbund/{personas.a.pk}/")
    assert response.status_code == 200
    assert "Samordningsförbundet Alfa" in response.content.decode()


def test_outsider_gets_404_for_other_association_page(personas, client_for):
    response = client_for(personas.admin_b).get(f"/forbund/{personas.a.pk}/")
    assert response.status_code == 404
    assert "Alfa" not in response.content.decode()


def test_outsider_gets_404_for_other_association_api(personas, client_for):
    c = client_for(personas.admin_b)
    assert c.get(f"/api/v1/associations/{personas.a.pk}").status_code == 404
    listed = c.get("/api/v1/associations/").json()
    assert [row["name"] for row in listed] == ["Samordningsförbundet Beta"]


def test_report_reader_cannot_open_association_page(personas, client_for):
    # A report reader sees aggregates only: the förbund page (members, key) is refused.
    response = client_for(personas.reader_a).get(f"/forbund/{personas.a.pk}/")
    assert response.status_code == 403

"""Query-count guards: each report page costs a fixed number of queries for the hand-built
scenario (a dozen participations in three insatser); a per-row query would exceed it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# What each page costs today for the scenario, sign-in and audit included.
REPORTS = {
    "standard": 66,
    "deltagare": 66,
    "insatser": 66,
    "kostnader": 66,
    "uppfoljning": 66,
    "tackning": 66,
    "indikatorer": 66,
}


@pytest.mark.parametrize("name", REPORTS)
def test_a_report_page_costs_a_fixed_number_of_queries(
    name, scenario, client_for, django_assert_max_num_queries
):
    client = client_for(scenario.personas.reader_a)
    with django_assert_max_num_queries(REPORTS[name]):
        response = client.get(f"/rapporter/{name}/", {"period": "2024"})
    assert response.status_code == 200 and "<caption>" in response.content.decode()

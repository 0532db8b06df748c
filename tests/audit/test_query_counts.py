"""Query-count guard: the audit log page costs the same however many events it lists (an N+1
would add queries per row and fail this)."""

from __future__ import annotations

import pytest
import time_machine

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from tests.audit.conftest import at

pytestmark = pytest.mark.django_db

ROWS = 6  # several events, by several people, so that per-row queries would show
AUDIT_LIST = 16  # what the page costs today (the same with 2 rows as with 6)


def test_the_audit_log_page_costs_the_same_however_many_events_it_lists(
    personas, client_for, django_assert_max_num_queries
):
    actors = [personas.manager_a, personas.officer_a, personas.admin_a]
    for n in range(ROWS):
        with time_machine.travel(at(f"2024-03-{n + 1:02d}"), tick=False):
            record_event(
                actor=actors[n % len(actors)], action=Action.CREATE,
                object_type="interventions.intervention", object_id=100 + n,
                association=personas.a, details={"namn": f"Insats {n}"},
            )
    client = client_for(personas.auditor_a)
    with django_assert_max_num_queries(AUDIT_LIST):
        response = client.get("/granskning/")
    html = response.content.decode()
    assert all(f"Insats {n}" in html for n in range(ROWS))

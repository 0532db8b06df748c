"""The audit log as an auditor reads it: Swedish names, people by name, sentences, links."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stegvis.audit.models import Action
from stegvis.audit.services import record_event

pytestmark = pytest.mark.django_db

URL = "/granskning/"


def test_page_names_people_objects_and_details_in_swedish(personas, client_for):
    personas.officer_a.first_name, personas.officer_a.last_name = "Anna", "Andersson"
    personas.officer_a.save()
    record_event(
        actor=personas.officer_a,
        action=Action.DELETE,
        object_type="participants.participation",
        object_id=77,
        association=personas.a,
        details={
            "consent_withdrawn": True,
            "measurements_erased": 2,
            "association": personas.b.pk,
            "user": personas.admin_a.pk,
            "anonymous_count": {"start_year": 2024, "added": True},
        },
    )
    record_event(
        actor=personas.admin_a,
        action=Action.UPDATE,
        obj=personas.a,
        association=personas.a,
        details={"name": "Alfa"},
    )
    html = client_for(personas.auditor_a).get(URL).content.decode()
    assert "Anna Andersson (officer_a)" in html
    assert "Radering" in html and "Deltagande nr 77" in html
    assert "Samtycket återkallat: ja." in html
    assert "Mätningar raderade: 2." in html
    assert "Samordningsförbund: Samordningsförbundet Beta." in html
    assert "Användare: admin_a." in html
    # (PostgreSQL's jsonb keeps its own key order: the nested parts in either order.)
    assert re.search(r"Anonym räkning: (startår 2024, tillagd ja|tillagd ja, startår 2024)\.", html)
    assert "consent_withdrawn" not in html and "measurements_erased" not in html
    assert "participants.participation" not in html
    # The förbund object links to its page (the auditor may open it) ...
    assert f'href="{reverse("associations:detail", args=[personas.a.pk])}"' in html
    # ... but a participation, which a granskare may not open, is not a link.
    assert reverse("participants:detail", args=[77]) not in html


def test_every_object_link_shown_opens(personas, client_for):
    record_event(
        actor=personas.admin_a, action=Action.UPDATE, obj=personas.a, association=personas.a,
    )
    client = client_for(personas.auditor_a)
    html = client.get(URL).content.decode()
    link = reverse("associations:detail", args=[personas.a.pk])
    assert link in html
    assert client.get(link).status_code == 200


def test_user_filter_finds_partial_names(personas, client_for):
    personas.officer_a.first_name, personas.officer_a.last_name = "Anna", "Andersson"
    personas.officer_a.save()
    for actor in (personas.officer_a, personas.manager_a):
        record_event(
            actor=actor, action=Action.CREATE, object_type="interventions.intervention",
            object_id=5, association=personas.a,
        )
    client = client_for(personas.auditor_a)
    by_name = client.get(URL, {"actor_username": "ander", "action": "CREATE"}).content.decode()
    assert "Anna Andersson (officer_a)" in by_name and "manager_a" not in by_name
    by_part = client.get(URL, {"actor_username": "MANAG", "action": "CREATE"}).content.decode()
    assert "manager_a" in by_part and "officer_a" not in by_part


def test_csv_has_the_same_readable_columns(personas, client_for):
    record_event(
        actor=personas.officer_a, action=Action.READ, object_type="participants.participation",
        object_id=9, association=personas.a, details={"purpose": "withdraw"},
    )
    response = client_for(personas.auditor_a).get(reverse("audit:export"), {"action": "READ"})
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == [
        "Tid", "Användare", "Händelse", "Objekt", "Samordningsförbund", "Anledning",
        "Detaljer", "Begäran-id",
    ]
    row = next(r for r in table[1:] if r[3] == "Deltagande nr 9")
    assert row[1:3] == ["officer_a", "Läsning"]
    assert row[4] == "Samordningsförbundet Alfa"
    assert row[6] == "Syfte: återkallat samtycke."


def test_query_count_does_not_grow_with_the_page(personas, client_for):
    client = client_for(personas.auditor_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx)

    def add(n: int) -> None:
        for i in range(n):
            record_event(
                actor=personas.officer_a, action=Action.UPDATE, obj=personas.a,
                association=personas.a, details={"user": personas.admin_a.pk, "n": i},
            )

    add(3)
    few = queries()
    add(30)
    assert queries() <= few + 1

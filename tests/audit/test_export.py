"""CSV export of the filtered audit log."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine

from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.services import record_event
from stegvis.lib.spreadsheet import cell
from tests.audit.conftest import at

pytestmark = pytest.mark.django_db

URL = "/granskning/export.csv"


def rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_export_contains_visible_events_and_is_audited(personas, log, client_for):
    with time_machine.travel(at("2025-01-15"), tick=False):
        response = client_for(personas.auditor_a).get(URL, {"date_to": "2024-12-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="stegvis-granskningslogg-20250115.csv"'
    )
    table = rows(response)
    assert table[0][:3] == ["Tid", "Användare", "Händelse"]
    body = table[1:]
    assert len(body) == 4
    assert body[0][0] == "2024-03-10 12:00:00"
    assert body[0][1:3] == ["officer_a", "Läsning"]
    assert body[0][3] == "Deltagande nr 21"
    assert body[0][4] == "Samordningsförbundet Alfa"
    assert body[0][5] == "Uppföljning"
    text = "\n".join(";".join(r) for r in body)
    assert "Alfa-insatsen" in text
    assert "Beta-insatsen" not in text and "admin_b" not in text

    exported = AuditEvent.objects.get(action=Action.EXPORT)
    assert exported.actor_username == "auditor_a"
    assert exported.details == {
        "filter": {
            "date_from": "",
            "date_to": "2024-12-31",
            "actor_username": "",
            "association": None,
            "action": "",
        },
        "format": "csv",
        "rows": 4,
    }


def test_export_follows_the_filter(personas, log, client_for):
    response = client_for(personas.auditor_a).get(
        URL, {"action": "CREATE", "association": personas.a.pk}
    )
    body = rows(response)[1:]
    assert [r[3] for r in body] == ["Insats nr 11"]
    exported = AuditEvent.objects.get(action=Action.EXPORT)
    assert exported.association_id == personas.a.pk


def test_export_escapes_formulas(personas, client_for):
    record_event(
        actor=personas.officer_a,
        action=Action.READ,
        association=personas.a,
        object_type="@SUM(A1)",
        object_id="-42",
        reason='=HYPERLINK("http://evil.example","klicka")',
        details={"anteckning": "+1"},
    )
    body = rows(client_for(personas.auditor_a).get(URL))[1:]
    row = next(r for r in body if r[2] == "Läsning")
    assert row[3] == "'@SUM(A1) nr -42"
    assert row[5] == "'=HYPERLINK(\"http://evil.example\",\"klicka\")"
    assert row[6] == "Anteckning: +1."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+46701234567", "'+46701234567"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("vanlig text", "vanlig text"),
        ("a=b", "a=b"),
        (None, ""),
        (7, "7"),
    ],
)
def test_cell_escaping(value, expected):
    assert cell(value) == expected


@pytest.mark.parametrize("persona", ["admin_b", "admin_a", "reader_a"])
def test_export_refused_without_audit_capability(personas, log, client_for, persona):
    response = client_for(getattr(personas, persona)).get(URL)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_export_with_bad_filter_shows_error_and_exports_nothing(personas, log, client_for):
    response = client_for(personas.auditor_a).get(
        URL, {"date_from": "2024-03-10", "date_to": "2024-03-01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Till och med: datumet kan inte vara före från och med-datumet." in html
    assert "Alfa-insatsen" not in html
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

"""record_event masks anything shaped like a personnummer in details or reason; never raises."""

from __future__ import annotations

import json

import pytest

from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.redaction import MASK
from stegvis.audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "details",
    [
        {"personnummer": "19850101-1234"},
        {"text": "gäller 850101-1234 i insatsen"},
        {"nested": {"list": ["ok", "198501011234"]}},
        {"samordningsnummer": "850161+1234"},
        {"199001011234": "key"},
        {"telefon": "Ring 0701234567"},
    ],
)
def test_identifier_shaped_text_is_masked_and_the_event_written(personas, details):
    event = record_event(actor=personas.officer_a, action=Action.READ, details=details)
    stored = json.dumps(AuditEvent.objects.get(pk=event.pk).details)
    assert "1234" not in stored and "4567" not in stored
    assert MASK in stored


def test_identifier_in_reason_is_masked(personas):
    event = record_event(actor=personas.officer_a, action=Action.READ, reason="Kolla 19850101-1234")
    assert AuditEvent.objects.get(pk=event.pk).reason == f"Kolla {MASK}"


def test_ordinary_numbers_are_kept(personas):
    event = record_event(
        actor=personas.officer_a,
        action=Action.READ,
        details={"antal": 12345, "datum": "2024-03-01", "namn": "Alfa 2024", "orgnr": "556677"},
    )
    assert AuditEvent.objects.get(pk=event.pk).details == {
        "antal": 12345, "datum": "2024-03-01", "namn": "Alfa 2024", "orgnr": "556677"
    }

"""record_event refuses anything shaped like a personnummer in details or reason."""

from __future__ import annotations

import pytest

from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.redaction import IdentifierInAuditDetails
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
    ],
)
def test_identifier_in_details_is_refused_and_nothing_written(personas, details):
    with pytest.raises(IdentifierInAuditDetails) as raised:
        record_event(actor=personas.officer_a, action=Action.READ, details=details)
    assert "1234" not in str(raised.value)
    assert not AuditEvent.objects.exists()


def test_identifier_in_reason_is_refused(personas):
    with pytest.raises(IdentifierInAuditDetails):
        record_event(actor=personas.officer_a, action=Action.READ, reason="Kolla 19850101-1234")
    assert not AuditEvent.objects.exists()


def test_ordinary_numbers_are_accepted(personas):
    event = record_event(
        actor=personas.officer_a,
        action=Action.READ,
        details={"antal": 12345, "datum": "2024-03-01", "namn": "Alfa 2024"},
    )
    assert event.pk is not None

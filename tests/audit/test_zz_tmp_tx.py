import pytest
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.services import record_event

@pytest.mark.django_db(transaction=True)
def test_one():
    record_event(actor=None, username="x", action=Action.LOGIN_FAILED)

@pytest.mark.django_db(transaction=True)
def test_two():
    assert AuditEvent.objects.count() == 0
    record_event(actor=None, username="x", action=Action.LOGIN_FAILED)

"""Audit events cannot be changed or removed, not even with SQL through the ORM (ADR 0002)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from stegvis.audit.append_only import guard_triggers
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.services import record_event
from tests.support.flush import flush_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas) -> AuditEvent:
    return record_event(
        actor=personas.admin_a,
        action=Action.CREATE,
        object_type="interventions.intervention",
        object_id=7,
        association=personas.a,
        details={"name": "Steget vidare"},
    )


def test_guard_is_installed():
    expected = {
        "sqlite": ["audit_auditevent_no_delete", "audit_auditevent_no_update"],
        "postgresql": ["audit_auditevent_append_only", "audit_auditevent_no_truncate"],
    }[connection.vendor]
    assert guard_triggers(connection) == expected


def test_update_is_refused_and_row_unchanged(event):
    refused = pytest.raises(DatabaseError, match="får inte ändras eller tas bort")
    with refused, transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_username="someone_else")
    event.refresh_from_db()
    assert event.actor_username == "admin_a"
    assert event.details == {"name": "Steget vidare"}


def test_save_of_existing_event_is_refused(event):
    event.reason = "ändrad i efterhand"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    event.refresh_from_db()
    assert event.reason == ""


def test_delete_is_refused_and_row_kept(event):
    refused = pytest.raises(DatabaseError, match="får inte ändras eller tas bort")
    with refused, transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, action=Action.CREATE).exists()


def test_wiping_the_table_with_sql_is_refused(event):
    # TRUNCATE on PostgreSQL (statement-level trigger); SQLite has only DELETE FROM.
    wipe = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"{wipe} audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_appending_still_works(event):
    record_event(actor=event.actor, action=Action.READ, association=event.association_id)
    assert AuditEvent.objects.count() == 2


# Transactional tests are flushed afterwards by the suite's own flush (tests/support/flush.py; on
# SQLite ``DELETE FROM``, on PostgreSQL ``TRUNCATE``). These tests call it inside the test's
# transaction, so the flush is rolled back and the rest of the suite keeps its data.


def test_the_test_flush_empties_the_log_outside_production_and_keeps_the_guard():
    record_event(actor=None, username="someone", action=Action.LOGIN_FAILED)
    flush_database(connection)
    assert AuditEvent.objects.count() == 0
    assert len(guard_triggers(connection)) == 2
    event = record_event(actor=None, username="someone", action=Action.LOGIN_FAILED)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.count() == 1


def test_the_test_flush_in_production_refuses_to_empty_the_log(settings):
    record_event(actor=None, username="someone", action=Action.LOGIN_FAILED)
    settings.PRODUCTION = True
    with pytest.raises(DatabaseError), transaction.atomic():
        flush_database(connection)
    assert AuditEvent.objects.count() == 1
    assert len(guard_triggers(connection)) == 2


def test_djangos_flush_command_refuses_to_empty_the_log():
    record_event(actor=None, username="someone", action=Action.LOGIN_FAILED)
    with pytest.raises(CommandError), transaction.atomic():
        call_command(
            "flush", interactive=False, verbosity=0, reset_sequences=False,
            allow_cascade=False, inhibit_post_migrate=True,
        )
    assert AuditEvent.objects.count() == 1
    assert len(guard_triggers(connection)) == 2

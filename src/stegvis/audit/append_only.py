"""The database guard that keeps audit events append-only (ADR 0002).

Migration 0002 installs triggers that refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE on
``audit_auditevent``, so Django's ``flush`` command fails on the audit table. The test suite's
own flush after each transactional test lifts the guard for its transaction only (see
``tests/support/flush.py``).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
PG_TRUNCATE_TRIGGER = "audit_auditevent_no_truncate"


def guard_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """Names of the append-only triggers present on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "ORDER BY name",
                [TABLE],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D' ORDER BY tgname",
                [TABLE],
            )
        else:
            return []
        return [row[0] for row in cursor.fetchall()]

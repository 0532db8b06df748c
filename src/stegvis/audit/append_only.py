"""The database guard that keeps audit events append-only (ADR 0002), and its one exception.

Migration 0002 installs triggers that refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE on
``audit_auditevent``. Django's ``flush`` command, which empties *every* table, must still work
outside production: the test runner flushes the database after each transactional test (on
SQLite with ``DELETE FROM``, on PostgreSQL with ``TRUNCATE``). :func:`lifted_for_flush` lifts the
guard for the flush's own transaction only and restores it before the transaction commits; in
production it does nothing, so a flush there fails on the audit table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
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


@contextmanager
def lifted_for_flush(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Run the body in one transaction with the guard lifted (never in production)."""
    if settings.PRODUCTION or connection.vendor not in {"sqlite", "postgresql"}:
        yield
        return
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name = %s",
                    [TABLE],
                )
                saved = cursor.fetchall()
                for name, _sql in saved:
                    cursor.execute(f'DROP TRIGGER "{name}"')
            else:
                saved = []
                cursor.execute(
                    "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = %s",
                    [TABLE, PG_TRUNCATE_TRIGGER],
                )
                has_truncate_trigger = cursor.fetchone() is not None
                if has_truncate_trigger:
                    cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_TRUNCATE_TRIGGER}")
        yield
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for _name, sql in saved:
                    cursor.execute(sql)
            elif has_truncate_trigger:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {PG_TRUNCATE_TRIGGER}")

"""The flush after each transactional (browser, live-server) test, made cheap.

Django's ``TransactionTestCase`` empties every table after each test and the migrations'
reference data (~29,000 rows of population, the län, kommuner and code lists, content types and
permissions) then has to be loaded again. Here the flush leaves those reference tables alone as
long as the test left them exactly as it found them: each is fingerprinted (every row, in primary
key order) before the first transactional test, and compared after each one. A test that changed
one (a code list edited through the UI, say) gets the full flush and reload instead, so no test
ever sees another test's rows.

The audit log is append-only, also against ``TRUNCATE``/``DELETE`` (ADR 0002). The flush (on
SQLite ``DELETE FROM``; on PostgreSQL too, ``DELETE`` being much cheaper than ``TRUNCATE`` on
nearly empty tables) lifts that guard for its own transaction only and puts it back before the
transaction commits; with ``PRODUCTION`` set it lifts nothing, so the flush fails on the audit
table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import TransactionTestCase

from stegvis.audit.append_only import TABLE
from tests.support.reference import reload_reference_data

# Loaded by the migrations (reference data) or by post_migrate (content types, permissions).
REFERENCE_MODELS = (
    "reference.County",
    "reference.Municipality",
    "reference.PopulationByAge",
    "reference.Code",
    "contenttypes.ContentType",
    "auth.Permission",
)


@contextmanager
def lifted_for_flush(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Run the body in one transaction with the audit guard lifted (never in production)."""
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
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                    "AND NOT tgisinternal AND tgenabled <> 'D'",
                    [TABLE],
                )
                saved = [row[0] for row in cursor.fetchall()]
                for name in saved:
                    cursor.execute(f'ALTER TABLE {TABLE} DISABLE TRIGGER "{name}"')
        yield
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for _name, sql in saved:
                    cursor.execute(sql)
            else:
                for name in saved:
                    cursor.execute(f'ALTER TABLE {TABLE} ENABLE TRIGGER "{name}"')


def reference_tables() -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in REFERENCE_MODELS]


def fingerprint(connection: BaseDatabaseWrapper) -> str:
    """A digest of every row of the reference tables, in primary key order."""
    digest = hashlib.sha256()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in reference_tables():
            cursor.execute(f"SELECT * FROM {qn(table)} ORDER BY 1")
            digest.update(table.encode())
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


_pristine: dict[str, str] = {}  # database alias -> fingerprint of the migrated reference data


def remember_reference_data(connection: BaseDatabaseWrapper) -> None:
    """Fingerprint the reference data once, while it is as the migrations left it."""
    if connection.alias not in _pristine:
        _pristine[connection.alias] = fingerprint(connection)


def flush_database(connection: BaseDatabaseWrapper, *, keep_reference: bool = True) -> bool:
    """Empty every table (but the reference tables, if ``keep_reference``); True if it kept them.

    The flush runs in one transaction with the audit guard lifted for it only.
    """
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if keep_reference:
        kept = set(reference_tables())
        tables = [t for t in tables if t not in kept]
    if connection.vendor == "postgresql":
        # DELETE, not TRUNCATE: after a test most tables are empty or nearly so, and TRUNCATE
        # costs a new file per table (seconds for ~100 tables). Foreign keys are deferrable, so
        # the order does not matter within the transaction.
        qn = connection.ops.quote_name
        statements = ["SET CONSTRAINTS ALL DEFERRED"]
        statements += [f"DELETE FROM {qn(table)}" for table in tables]
    else:
        statements = connection.ops.sql_flush(
            no_style(), tables, reset_sequences=False, allow_cascade=False
        )
    with lifted_for_flush(connection):
        connection.ops.execute_sql_flush(statements)
    return keep_reference


def flush_after_test(connection: BaseDatabaseWrapper) -> None:
    """The flush after a transactional test: cheap when the reference data is untouched."""
    untouched = _pristine.get(connection.alias) == fingerprint(connection)
    if untouched:
        flush_database(connection)
        return
    flush_database(connection, keep_reference=False)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    with transaction.atomic(using=connection.alias):
        reload_reference_data()
    # post_migrate and the reload give the same rows, with new primary keys: fingerprint again.
    _pristine[connection.alias] = fingerprint(connection)


_django_pre_setup = TransactionTestCase._pre_setup.__func__  # a classmethod
_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _pre_setup(cls: type[TransactionTestCase]) -> None:
    _django_pre_setup(cls)
    if _cheap_flush_applies(cls):
        for alias in cls._databases_names(include_mirrors=False):
            remember_reference_data(connections[alias])


def _fixture_teardown(self: TransactionTestCase) -> None:
    if not _cheap_flush_applies(type(self)):
        _django_fixture_teardown(self)
        return
    for alias in self._databases_names(include_mirrors=False):
        flush_after_test(connections[alias])


def _cheap_flush_applies(case: type[TransactionTestCase]) -> bool:
    # Plain transactional tests only: no available_apps subset, no serialized rollback.
    return case.available_apps is None and not case.serialized_rollback


def install() -> None:
    """Make every transactional test flush this way (called once, from tests/conftest.py)."""
    TransactionTestCase._pre_setup = classmethod(_pre_setup)  # type: ignore[assignment]
    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]

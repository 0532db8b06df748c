"""Make audit events append-only in the database itself (ADR 0002).

PostgreSQL: a trigger function refuses every UPDATE and DELETE (row level) and TRUNCATE
(statement level). SQLite: BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT).
Django's ``flush`` is the one way round it outside production: see audit/append_only.py.

NOTE for future migrations: SQLite rebuilds a table on most ALTERs, which drops its triggers.
A migration that alters ``audit_auditevent`` must re-run ``install`` below afterwards.
"""

from django.db import migrations

MESSAGE = "granskningshändelser får inte ändras eller tas bort"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    """
    CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]


def _run(schema_editor, statements: dict) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def install(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def uninstall(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_UNINSTALL, "sqlite": SQLITE_UNINSTALL})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

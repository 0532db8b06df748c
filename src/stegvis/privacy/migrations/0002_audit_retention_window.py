"""Let gallring delete expired audit events, and nothing else (ADR 0007).

The append-only guard of ADR 0002 (audit migration 0002) refuses every UPDATE and DELETE on
``audit_auditevent``. This migration narrows the DELETE refusal by exactly one case: a row whose
``at`` is older than the ``cutoff`` of a row in ``privacy_auditpurgewindow``. Only
``stegvis.privacy.services.gallra`` writes such a row, and deletes it again in the same
transaction, so other transactions never see an open window. UPDATE and TRUNCATE stay refused.

The trigger and function names are unchanged, so ``audit.append_only`` (flush in tests) and
its checks keep working. A later migration that re-installs the strict guard of audit 0002
must re-apply ``install`` below (the retention tests fail if it does not).
"""

from django.db import migrations

MESSAGE = "granskningshändelser får inte ändras eller tas bort"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM privacy_auditpurgewindow w WHERE OLD.at < w.cutoff
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
]
POSTGRESQL_STRICT = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
]
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM privacy_auditpurgewindow w WHERE OLD.at < w.cutoff)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_STRICT = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]


def _run(schema_editor, statements: dict) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def install(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def uninstall(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_STRICT, "sqlite": SQLITE_STRICT})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("audit", "0002_append_only")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

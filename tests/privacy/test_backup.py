"""Backups that restore: demo data backed up, restored into a FRESH database by ``stegvis
restore`` in another process, and proved the same there (participants, figures, audit chain),
with the audit table still append-only. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from stegvis.demo import generator
from stegvis.privacy import backup

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "får inte ändras eller tas bort"


def stegvis(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``stegvis`` command in a new process against ``database_url``."""
    return subprocess.run(
        [sys.executable, "-m", "stegvis.cli", *args],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True, text=True, check=False, timeout=300,
    )


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[tuple[str, object]]:
    """(DATABASE_URL of a new, empty database; a function opening a raw connection to it)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path, isolation_level=None)
        return
    import psycopg

    s = connection.settings_dict
    name = f"{s['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    server = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432,
              "user": s["USER"], "password": s["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    url = f"postgres://{s['USER']}{password}@{server['host']}:{server['port']}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, autocommit=True, **server)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def refused(raw_connect, statement: str) -> str:
    """The error text the database gives for ``statement`` on the restored audit table."""
    conn = raw_connect()
    try:
        conn.execute(statement)
    except Exception as exc:  # sqlite3.IntegrityError / psycopg.errors.IntegrityConstraintViolation
        return str(exc)
    finally:
        conn.close()
    raise AssertionError(f"not refused: {statement}")


def count(raw_connect, sql: str) -> int:
    conn = raw_connect()
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_backup_restores_into_a_fresh_database_with_the_same_data(tmp_path, fresh_database):
    url, raw_connect = fresh_database
    demo = generator.build_demo(generator.Scale(participants_per_intervention=3))
    assert demo.created_associations
    before = backup.fingerprint()
    assert before["tables"]["participants.person"]["rows"] > 0
    assert before["audit_chain"]["events"] > 0
    assert any(year["participants_started"] for year in before["figures"].values())

    file = tmp_path / "stegvis.backup"
    call_command("backup", str(file))
    assert Path(f"{file}.json").is_file()

    restored = stegvis(url, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert "kontrollerad mot manifestet" in restored.stdout

    # Proved independently in the restored copy, by another process.
    after = stegvis(url, "backup_fingerprint", "--today", before["today"])
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before  # participants, measurements, figures, audit chain

    # Still append-only after the restore.
    events = count(raw_connect, "SELECT COUNT(*) FROM audit_auditevent")
    assert events == before["audit_chain"]["events"]
    assert REFUSED in refused(raw_connect, "UPDATE audit_auditevent SET reason = 'ändrad'")
    assert REFUSED in refused(raw_connect, "DELETE FROM audit_auditevent")
    if connection.vendor == "postgresql":
        assert REFUSED in refused(raw_connect, "TRUNCATE audit_auditevent")
    assert count(raw_connect, "SELECT COUNT(*) FROM audit_auditevent") == events

    # A second restore into the now non-empty database is refused unless forced.
    again = stegvis(url, "restore", str(file))
    assert again.returncode != 0
    assert "Databasen är inte tom" in again.stderr
    forced = stegvis(url, "restore", "--force", str(file))
    assert forced.returncode == 0, forced.stderr
    assert count(raw_connect, "SELECT COUNT(*) FROM audit_auditevent") == events


def test_restore_that_does_not_match_its_manifest_fails(tmp_path, fresh_database, personas):
    url, _raw = fresh_database
    file = tmp_path / "stegvis.backup"
    call_command("backup", str(file))
    manifest_file = Path(f"{file}.json")
    manifest = json.loads(manifest_file.read_text())
    manifest["fingerprint"]["audit_chain"]["events"] += 1  # as if an event had gone missing
    manifest_file.write_text(json.dumps(manifest))

    restored = stegvis(url, "restore", str(file))
    assert restored.returncode != 0
    assert "stämmer INTE" in restored.stderr and "audit_chain" in restored.stderr


def test_backup_never_overwrites_and_restore_refuses_a_foreign_file(tmp_path, fresh_database):
    url, _raw = fresh_database
    file = tmp_path / "stegvis.backup"
    call_command("backup", str(file))
    with pytest.raises(Exception, match="finns redan"):
        call_command("backup", str(file))
    junk = tmp_path / "inte-en-kopia"
    junk.write_bytes(b"hello")
    result = stegvis(url, "restore", str(junk))
    assert result.returncode != 0 and "ingen säkerhetskopia" in result.stderr
    other_kind = tmp_path / "annan-databas"
    magic = backup.SQLITE_MAGIC if connection.vendor == "postgresql" else backup.PG_MAGIC
    other_kind.write_bytes(magic + b"\0" * 64)
    result = stegvis(url, "restore", str(other_kind))
    assert result.returncode != 0 and "Säkerhetskopian är från" in result.stderr

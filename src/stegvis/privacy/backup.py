"""Back up and restore the whole database, and prove that a restore is faithful (ADR 0007).

PostgreSQL: ``pg_dump`` / ``pg_restore`` in the custom format. SQLite: the sqlite3 online backup
API (a consistent copy while the service runs). Next to every backup a manifest
(``<file>.json``) holds the *fingerprint* of what was backed up: digests of the persons,
participations, consents, measurements and the indicator fact table, the headline figures of
every year, and a hash chain over the audit events in order. ``restore`` recomputes the
fingerprint in the restored database and fails if anything differs. The fingerprint holds only
digests and counts, never an identity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.audit.append_only import guard_triggers
from stegvis.audit.models import AuditEvent
from stegvis.indicators.periods import year_period
from stegvis.indicators.selectors import headline_aggregates
from stegvis.participants.models import (
    Consent,
    Measurement,
    MeasurementActivity,
    Participation,
    ParticipationFact,
    Person,
)

MANIFEST_FORMAT = "stegvis-backup-1"
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Swedish and shown as is."""


# --- fingerprint ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(values: tuple[Any, ...]) -> bytes:
    return json.dumps([_plain(v) for v in values], sort_keys=True, default=str).encode()


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _table_digest(model: type[models.Model]) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    for values in model.objects.order_by("pk").values_list(*_columns(model)).iterator(2000):
        digest.update(_row(values))
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def audit_chain() -> dict[str, Any]:
    """A hash chain over every audit event in id order: equal heads mean an equal log."""
    head = hashlib.sha256(b"stegvis-audit").hexdigest()
    count = 0
    last = None
    for values in AuditEvent.objects.order_by("pk").values_list(
        *_columns(AuditEvent)
    ).iterator(2000):
        head = hashlib.sha256(head.encode() + _row(values)).hexdigest()
        count += 1
        last = values[0]
    return {"events": count, "last_id": last, "head": head}


def figures(today: dt.date) -> dict[str, dict[str, int]]:
    """The headline counts of every year in the fact table, for all förbund together."""
    years = ParticipationFact.objects.dates("start_date", "year")
    first = years.first()
    if first is None:
        return {}
    result = {}
    for year in range(first.year, today.year + 1):
        aggregates = headline_aggregates(year_period(year), today)
        result[str(year)] = ParticipationFact.objects.aggregate(**aggregates)
    return result


def fingerprint(today: dt.date | None = None) -> dict[str, Any]:
    """What a faithful restore must reproduce exactly (digests and counts only)."""
    today = today or timezone.localdate()
    return {
        "today": today.isoformat(),
        "tables": {
            model._meta.label_lower: _table_digest(model)
            for model in (
                Person, Participation, Consent, Measurement, MeasurementActivity,
                ParticipationFact,
            )
        },
        "figures": figures(today),
        "audit_chain": audit_chain(),
        "audit_guard": guard_triggers(connection),
    }


# --- backup ---------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                     ("PGPASSWORD", "PASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    options = s.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(option):
            env[f"PG{option.upper()}"] = str(options[option])
    return env


def _run(args: list[str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(
            _("Programmet %(program)s saknas. Installera PostgreSQL:s klientprogram.")
            % {"program": args[0]}
        )
    done = subprocess.run(  # noqa: S603 - fixed program, argument list
        args, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{args[0]} misslyckades: {done.stderr.strip()[-2000:]}")


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def backup(path: Path) -> dict[str, Any]:
    """Write a backup of the configured database to ``path`` and its manifest next to it."""
    path = Path(path)
    if path.exists():
        raise BackupError(_("Filen %(path)s finns redan. Välj ett nytt filnamn.") % {"path": path})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    vendor = connection.vendor
    taken = timezone.now()
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={partial}", "--dbname", str(connection.settings_dict["NAME"])])
    elif vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(
            _("Säkerhetskopiering stöds inte för databasen %(vendor)s.") % {"vendor": vendor}
        )
    partial.chmod(0o600)
    partial.rename(path)
    manifest = {
        "format": MANIFEST_FORMAT,
        "database": vendor,
        "taken": taken.isoformat(),
        "file": path.name,
        "sha256": _file_digest(path),
        "fingerprint": fingerprint(),
    }
    target_manifest = manifest_path(path)
    target_manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    target_manifest.chmod(0o600)
    return manifest


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- restore --------------------------------------------------------------------------------


def _kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(_("%(path)s är ingen säkerhetskopia från Stegvis.") % {"path": path})


def database_is_empty() -> bool:
    with connection.cursor():
        return not connection.introspection.table_names()


def restore(path: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore ``path`` into the configured database and check it against the manifest.

    Refuses a database that already has tables unless ``force``. Returns a report with the
    restored fingerprint and whether it matches the manifest (``None``: no manifest found).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Säkerhetskopian %(path)s finns inte.") % {"path": path})
    kind = _kind(path)
    if kind != connection.vendor:
        raise BackupError(
            _("Säkerhetskopian är från %(kind)s men databasen är %(vendor)s.")
            % {"kind": kind, "vendor": connection.vendor}
        )
    manifest = None
    if manifest_path(path).is_file():
        manifest = json.loads(manifest_path(path).read_text())
        if manifest.get("sha256") != _file_digest(path):
            raise BackupError(_("Säkerhetskopian stämmer inte med sitt manifest (skadad fil?)."))
    if not force and not database_is_empty():
        raise BackupError(
            _(
                "Databasen är inte tom. Återläs till en ny, tom databas, eller ange --force för "
                "att skriva över den."
            )
        )
    if kind == "postgresql":
        args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", "--dbname", str(connection.settings_dict["NAME"])]
        if force:
            args += ["--clean", "--if-exists"]
        connection.close()
        _run([*args, str(path)])
    else:
        connection.close()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    connection.close()
    expected = (manifest or {}).get("fingerprint")
    today = dt.date.fromisoformat(expected["today"]) if expected else None
    restored = fingerprint(today)
    return {
        "fingerprint": restored,
        "matches": None if expected is None else restored == expected,
        "differs": [] if expected is None else sorted(
            key for key in expected if expected.get(key) != restored.get(key)
        ),
    }

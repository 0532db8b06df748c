"""Health checks for load balancers and monitoring: no sign-in, no data, JSON.

- ``/healthz``: the database answers and every migration is applied.
- ``/readyz``: the same, and this instance can serve users: the database accepts writes
  (not a read-only standby) and the hashed static files are collected.

Both answer 200 ``{"status": "ok", "checks": {...}}`` or 503 ``{"status": "error", ...}``
with the failing check named, never an error text (it could hold connection details).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
_migrations_applied = False  # once applied, they stay applied for this process


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def migrations() -> str:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "pending"
        _migrations_applied = True
    return OK


def database_writable() -> str:
    if connection.vendor != "postgresql":
        return OK
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_read_only")
        (read_only,) = cursor.fetchone()
    return OK if read_only == "off" else "read_only"


def static_files() -> str:
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return OK  # development: files are served from the apps' folders
    storage = staticfiles_storage.manifest_storage
    return OK if storage.exists(staticfiles_storage.manifest_name) else "not_collected"


def _run(checks: dict[str, Callable[[], str]]) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except DatabaseError:
            logger.exception("health check %s failed", name)
            results[name] = ERROR
    healthy = all(result == OK for result in results.values())
    return JsonResponse(
        {"status": OK if healthy else ERROR, "checks": results},
        status=200 if healthy else 503,
    )


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _run({"database": database, "migrations": migrations})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    return _run(
        {
            "database": database,
            "migrations": migrations,
            "database_writable": database_writable,
            "static_files": static_files,
        }
    )

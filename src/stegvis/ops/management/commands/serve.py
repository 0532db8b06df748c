"""``stegvis serve``: the production application server (gunicorn) with Stegvis' settings."""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def gunicorn_options() -> dict[str, Any]:
    """gunicorn's settings from ``settings.STEGVIS_SERVER`` (the STEGVIS_* variables)."""
    server = settings.STEGVIS_SERVER
    return {
        "bind": [server["bind"]],
        "workers": server["workers"],
        "threads": server["threads"],
        "worker_class": "gthread" if server["threads"] > 1 else "sync",
        "timeout": server["timeout"],
        "graceful_timeout": server["graceful_timeout"],
        "keepalive": server["keepalive"],
        # Workers are replaced after this many requests (spread out by the jitter), which
        # bounds memory growth from PDF and chart rendering.
        "max_requests": server["max_requests"],
        "max_requests_jitter": server["max_requests"] // 10,
        "proc_name": "stegvis",
        # gunicorn's run-time control socket is not used; restarts go through the service
        # manager (systemd), and several instances on one machine must not share its path.
        "control_socket_disable": True,
        # The worker heartbeat file; memory-backed where available (containers).
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,  # noqa: S108
        # Stegvis logs each request itself (stegvis.request), with the request id and no
        # query string; gunicorn's access log would repeat it without those guarantees.
        "accesslog": None,
        "errorlog": "-",
        "logconfig_dict": _log_config(),
    }


def _log_config() -> dict[str, Any]:
    """Django's logging configuration, with gunicorn's own loggers written the same way."""
    config = dict(settings.LOGGING)
    config["loggers"] = {
        **settings.LOGGING.get("loggers", {}),
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    }
    return config


def _unapplied_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = (
        "Startar Stegvis i gunicorn (produktionsservern). Inställningar från miljön: "
        "STEGVIS_BIND, STEGVIS_WORKERS, STEGVIS_THREADS, STEGVIS_TIMEOUT, "
        "STEGVIS_GRACEFUL_TIMEOUT, STEGVIS_KEEPALIVE, STEGVIS_MAX_REQUESTS."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--print-config",
            action="store_true",
            help="Skriv ut gunicorns inställningar som JSON och avsluta utan att starta.",
        )

    def handle(self, *args: Any, print_config: bool = False, **options: Any) -> None:
        config = gunicorn_options()
        if print_config:
            self.stdout.write(json.dumps(config, indent=2, default=str))
            return
        pending = _unapplied_migrations()
        if pending:
            self.stderr.write(
                f"{pending} migration(s) not applied: run `stegvis migrate`. /healthz answers "
                "503 until then."
            )
        # Workers are forked from this process: none may inherit its database connection.
        connections.close_all()
        from stegvis.ops.server import StegvisServer

        StegvisServer(config).run()

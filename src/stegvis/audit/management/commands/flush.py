"""Django's ``flush``, with the audit log's append-only guard lifted for it outside production.

The test runner flushes after every transactional test; see stegvis.audit.append_only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from stegvis.audit.append_only import lifted_for_flush


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with lifted_for_flush(connection):
            super().handle(**options)

"""Ports for the servers tests start (identity providers, SMTP): chosen by the OS at run time,
so two test runs (SQLite and PostgreSQL in CI, or two developers' runs) never collide."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now (the OS picks it from its ephemeral range)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

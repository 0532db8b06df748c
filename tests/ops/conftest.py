"""Helpers to run the ``stegvis`` command in a subprocess with a chosen environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

STEGVIS = str(Path(sys.executable).with_name("stegvis"))


def clean_environ(var_dir: Path) -> dict[str, str]:
    """This process' environment without any Stegvis setting (nor the browser tests'
    DJANGO_ALLOW_ASYNC_UNSAFE, which a deployment must not have), and a private var directory."""
    environ = {
        k: v for k, v in os.environ.items()
        if not k.startswith("STEGVIS_")
        and k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ["STEGVIS_VAR_DIR"] = str(var_dir)
    return environ


def production_environ(tmp: Path) -> dict[str, str]:
    """A complete, correct production configuration (SQLite so that it runs anywhere)."""
    return {
        **clean_environ(tmp / "var"),
        "STEGVIS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STEGVIS_IDENTITY_KEYS": Fernet.generate_key().decode(),
        "STEGVIS_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "STEGVIS_ALLOWED_HOSTS": "127.0.0.1,stegvis.example.se",
        "DATABASE_URL": f"sqlite:///{tmp / 'production.sqlite3'}",
    }


def stegvis(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [STEGVIS, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def dev_environ(tmp_path: Path) -> dict[str, str]:
    return clean_environ(tmp_path / "var")

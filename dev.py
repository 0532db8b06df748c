#!/usr/bin/env python3
"""Bootstrap Stegvis on a machine that has only Python >= 3.11 and git.

    python3 dev.py run    # create .venv, install, migrate, load demo data, serve on :8000
    python3 dev.py test   # create .venv, install with test extras, run the whole test suite

Extra arguments are passed on (`python3 dev.py run --port 8080`, `python3 dev.py test -k audit`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".stegvis-install-stamp"


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Stegvis kräver Python 3.11 eller senare.")
    if not (BIN / "python").exists():
        print("Skapar virtuell miljö i .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _fingerprint():
        print("Installerar Stegvis och dess beroenden …", flush=True)
        pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(_fingerprint())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if command == "run":
        return subprocess.call([str(BIN / "stegvis"), "demo", *rest])
    return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

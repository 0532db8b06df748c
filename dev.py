#!/usr/bin/env python3
"""Bootstrap Stegvis on a machine that has only Python >= 3.11 and git.

    python3 dev.py run    # create .venv, install, migrate, load demo data, serve on :8000
    python3 dev.py test   # create .venv, install with test extras, run the whole test suite

Extra arguments are passed on (`python3 dev.py run --port 8080`, `python3 dev.py test -k audit`).

`test` also needs a few things from the operating system: Debian's chromium for the browser tests,
Pango (with a font) for the PDF exports, and xmlsec1 and node/npm for the identity providers the
e-legitimation tests start. Run as root on a machine with apt (as CI does), it
installs whatever is missing; otherwise it says exactly what is missing and how to install it.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
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


# Debian package -> how to tell it is there (also on a machine without dpkg).
SYSTEM_PACKAGES: dict[str, Callable[[], bool]] = {
    "chromium": lambda: bool(
        os.environ.get("STEGVIS_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    ),
    "libpango-1.0-0": lambda: ctypes.util.find_library("pango-1.0") is not None,
    "libpangoft2-1.0-0": lambda: ctypes.util.find_library("pangoft2-1.0") is not None,
    "fonts-dejavu-core": lambda: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists(),
    # The e-legitimation tests start real IdPs: pysaml2 signs with xmlsec1, oidc-provider runs
    # under node (installed with npm at test time).
    "xmlsec1": lambda: shutil.which("xmlsec1") is not None,
    "nodejs": lambda: shutil.which("node") is not None,
    "npm": lambda: shutil.which("npm") is not None,
    # GNU gettext: scripts/messages.sh (run by CI) regenerates and checks the message catalogue.
    "gettext": lambda: shutil.which("msgfmt") is not None and shutil.which("msgen") is not None,
}


def missing_system_packages(probes: dict[str, Callable[[], bool]] = SYSTEM_PACKAGES) -> list[str]:
    return [name for name, present in probes.items() if not present()]


def ensure_system_packages(
    missing: list[str],
    *,
    is_root: bool,
    has_apt: bool,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
    say: Callable[[str], None] = print,
) -> bool:
    """Install ``missing`` Debian packages with apt when allowed; else say what is missing.

    Returns whether everything is there afterwards (as far as this function knows).
    """
    if not missing:
        return True
    if is_root and has_apt:
        say(f"Installerar {', '.join(missing)} med apt-get (webbläsar- och PDF-testerna) …")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", *missing],
        ):
            result = run(command, env=env, check=False)
            if result.returncode != 0:
                say(f"{' '.join(command)} misslyckades (kod {result.returncode}).")
                return False
        return True
    say(f"Saknas för webbläsar- och PDF-testerna: {', '.join(missing)}.")
    if has_apt:
        say(f"Installera med: sudo apt-get install {' '.join(missing)}")
    else:
        say("Installera motsvarande paket (Chromium, Pango och ett typsnitt) med systemets "
            "pakethanterare, eller hoppa över webbläsartesterna med -m 'not system'.")
    return False


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if command == "run":
        return subprocess.call([str(BIN / "stegvis"), "demo", *rest])
    ensure_system_packages(
        missing_system_packages(),
        is_root=hasattr(os, "geteuid") and os.geteuid() == 0,
        has_apt=shutil.which("apt-get") is not None,
    )
    return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

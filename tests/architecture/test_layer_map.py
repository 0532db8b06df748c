"""The layer contract (pyproject.toml, checked by ``lint-imports``) names every app.

import-linter only checks the packages it is told about: an app missing from the contract could
import anything. This test fails when a new app under ``src/stegvis`` is not given a layer.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The upward imports left when the layers were first enforced (ADR 0014) are all gone: none
# may be waved through again.
KNOWN_UPWARD_IMPORTS: set[str] = set()


def test_every_app_has_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    layered = {name.strip() for layer in contract["layers"] for name in re.split(r"[|:]", layer)}
    packages = {
        f"stegvis.{p.name}" for p in (ROOT / "src" / "stegvis").iterdir()
        if (p / "__init__.py").exists()
    }
    assert packages - layered == set()
    # Upward imports waved through may only be removed, never added: fix the import instead.
    assert set(contract.get("ignore_imports", [])) <= KNOWN_UPWARD_IMPORTS

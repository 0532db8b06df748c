"""House rule: views and API endpoints never touch the ORM's managers.

A view reads through a selector and writes through a service; ``Model.objects``,
``Model._default_manager`` and ``get_object_or_404(Model, ...)`` in a view bypass the scoping
module (``stegvis.access.scope``) and the audit. The check reads the source (no Django needed)
and runs in the CI's Lint step as well as with the suite.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "stegvis"
MANAGERS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def view_modules(root: Path = SRC) -> list[Path]:
    """Every module that holds views: ``views.py``, ``api.py``, and modules of ``views``/``api``
    packages (an app's views split into a package stays covered)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "migrations" in rel.parts:
            continue
        if path.name in ("views.py", "api.py") or {"views", "api"} & set(rel.parts[:-1]):
            found.append(path)
    return found


def orm_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for each manager access or ORM shortcut in ``source``."""
    uses = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            uses.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Name) and node.id in SHORTCUTS:
            uses.append((node.lineno, node.id))
        elif isinstance(node, ast.alias) and node.name in SHORTCUTS:
            uses.append((getattr(node, "lineno", 0), f"import {node.name}"))
    return uses


def test_the_check_finds_every_apps_views():
    modules = view_modules()
    apps = {p.relative_to(SRC).parts[0] for p in modules}
    # Every app with pages or endpoints is scanned (a new app's views are picked up by name).
    assert {"access", "associations", "audit_review", "eid", "finance", "followup", "indicators",
            "interventions", "ops", "participants", "privacy", "codelists", "registry",
            "web", "api"} <= apps


def test_the_check_catches_a_manager_in_a_view(tmp_path):
    package = tmp_path / "someapp" / "views"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "lists.py").write_text(
        "from django.shortcuts import get_object_or_404\n"
        "def page(request):\n"
        "    rows = Thing.objects.filter(owner=request.user)\n"
        "    one = get_object_or_404(Thing, pk=1)\n"
    )
    modules = view_modules(tmp_path)
    assert [p.name for p in modules] == ["__init__.py", "lists.py"]
    assert sorted(orm_uses(modules[1].read_text())) == [
        (1, "import get_object_or_404"), (3, ".objects"), (4, "get_object_or_404")]


def test_views_never_touch_model_managers():
    offences = [
        f"{path.relative_to(SRC.parent)}:{line}: {what}"
        for path in view_modules()
        for line, what in orm_uses(path.read_text(encoding="utf-8"))
    ]
    assert offences == [], "views read through selectors:\n" + "\n".join(offences)

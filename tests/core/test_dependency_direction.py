"""The apps' dependencies point one way (DESIGN.md, "Layout"): `certificates → registrar →
booking → identity → core`, with the reporting apps (performance, replay) above them and
`config` above all. An import against that direction, even inside a function, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lower layers first; an app may import only apps in layers below its own.
LAYERS = [
    ("core",),
    ("identity",),
    ("booking",),
    ("registrar",),
    ("certificates",),
    ("performance", "replay"),
    ("config",),
]
LAYER = {app: number for number, apps in enumerate(LAYERS) for app in apps}


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found.update((module.split(".")[0], node.lineno) for module in modules if module.split(".")[0] in LAYER)
    return found


@pytest.mark.parametrize("app", sorted(LAYER))
def test_an_app_imports_only_the_apps_below_it(app):
    against = [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for other, line in sorted(_imported_apps(path))
        if other != app and LAYER[other] >= LAYER[app]
    ]
    assert not against, "\n".join(against)


def test_the_check_sees_an_import_against_the_direction(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def pdf():\n    from certificates.documents import fonts\n", encoding="utf-8")
    assert _imported_apps(module) == {("certificates", 2)}

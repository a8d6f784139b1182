"""The house points one way: `audits/instrument.py` and `audits/rules.py` at the bottom
(pure Python), then `communities`, then `audits`. Nothing imports back up, and no module
of the app passes 400 lines (migrations aside)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = ("audits.instrument", "audits.rules")
MAX_LINES = 400


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of a file, `from x import y` giving x and x.y."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def app_modules(app: str) -> list[Path]:
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]


def test_communities_imports_from_audits_only_the_pure_instrument_and_rules():
    backward = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in app_modules("communities")
        if path.name != "admin.py"  # as Django's contrib admins read other apps
        for line, module in imported_modules(path)
        if module.split(".")[0] == "audits" and module != "audits" and not module.startswith(PURE)
    ]
    assert backward == []


@pytest.mark.parametrize("module", PURE)
def test_the_instrument_and_rules_import_no_django_and_nothing_above_them(module):
    path = ROOT / (module.replace(".", "/") + ".py")
    above = [
        f"{line} {name}"
        for line, name in imported_modules(path)
        if name.split(".")[0] in ("django", "communities", "clc_audit")
        or (name.startswith("audits.") and not name.startswith(PURE))
    ]
    assert above == []


def test_no_module_of_the_app_passes_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for app in ("audits", "communities", "clc_audit")
        for path in app_modules(app)
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}

"""The layering rule: `web/` and `cli/` -> `casework/` (the use cases) -> `processes/` -> `engine/`.
`engine/` imports none of the others (it is generic, the municipality's rules plug in);
`processes/` imports neither `casework/` nor `web/`; `casework/` never imports `web/` or `cli/`.
Checked on every import statement,
including those inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"engine": ("casework", "processes", "web", "cli"), "processes": ("casework", "web", "cli"),
             "casework": ("web", "cli")}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_does_not_import_the_layers_above_it(package):
    wrong = [f"{path.relative_to(ROOT)} imports {name}"
             for path in sorted((ROOT / package).rglob("*.py"))
             for name in sorted(_imports(path))
             if name.split(".")[0] in FORBIDDEN[package]]
    assert wrong == []


# --- The engine's privates stay inside it (issue 15): everything else uses its public API -------
# (CaseEngine's methods and its unit of work, engine/unit_of_work.py).
SKIPPED_DIRS = {"engine", ".venv", "node_modules", ".git"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _engine_like(node: ast.expr, aliases: set[str]) -> bool:
    """An expression that names the engine or one of its modules: ``engine``, ``self.engine``,
    ``case_engine()``, ``_engine()``, or a name bound by ``from engine import steps``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id in aliases or node.id.endswith("engine")
    if isinstance(node, ast.Attribute):
        return node.attr.endswith("engine")
    return False


def _engine_privates(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    aliases: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "engine":
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            aliases.update(a.asname or a.name.split(".")[0] for a in node.names
                           if a.name.split(".")[0] == "engine")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and _engine_like(node.value, aliases):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _python_files_outside_the_engine() -> list[Path]:
    return [path for path in sorted(ROOT.rglob("*.py"))
            if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts[:-1])]


def test_nothing_outside_the_engine_uses_its_private_names():
    wrong = [f"{path.relative_to(ROOT)} {use}"
             for path in _python_files_outside_the_engine() for use in _engine_privates(path)]
    assert wrong == []


def test_the_private_name_check_sees_each_pattern(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from engine.steps import _lock_case\n"
        "from engine import steps as s\n"
        "engine._append(conn, case)\n"
        "self.engine._start_instance(conn)\n"
        "case_engine()._open_case(conn)\n"
        "s._LOCK_CASE\n"
        "engine.complete(task)\n"          # public: fine
        "self._helper()\n"                 # not the engine: fine
        "engine.__class__\n")              # a dunder: fine
    assert sorted(use.split(":")[0] for use in _engine_privates(sample)) == [
        "line 1", "line 3", "line 4", "line 5", "line 6"]

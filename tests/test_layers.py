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


# --- Table ownership (issue 15): each package declares and migrates its own tables ---------------

OWNED = {
    "engine": {"deployments", "process_versions", "clients", "cases", "instances", "events", "work_items",
               "waits", "schedules", "deadlines", "inbox", "destruction_lists", "destruction_list_items",
               "destroyed_cases", "processing_log", "processing_log_heads", "incidents"},
    "processes": {"ledger_lines", "documents", "beschikkingen", "bezwaren", "public_submissions",
                  "published_reports", "parties", "party_cases", "party_changes", "rule_versions"},
    "casework": {"teams", "users", "case_notes", "task_drafts", "absences", "case_teams", "gemeente_settings",
                 "admin_log", "pending_deployments", "model_tests", "api_tokens", "user_sessions",
                 "pending_rule_changes"},
    "web": {"login_throttle"},
}
# whose tables a package may name: its own and those of the layers below it
MAY_USE = {"engine": ("engine",), "processes": ("engine", "processes"),
           "casework": ("engine", "processes", "casework")}


def test_each_package_declares_exactly_its_own_tables():
    from cli import schema

    declared = {package.__name__.split(".")[0]: set(package.metadata.tables) for package in schema.PACKAGES}
    assert declared == OWNED


def _strings(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(), str(path)))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


@pytest.mark.parametrize("package", sorted(MAY_USE))
def test_no_module_names_a_table_of_a_layer_above_it(package):
    """By import (the layer rule above) or by name: a string such as metadata.tables["case_teams"]
    or an op.create_table("users") in a migration."""
    foreign = set().union(*(OWNED[p] for p in OWNED if p not in MAY_USE[package]))
    wrong = [f"{path.relative_to(ROOT)} names {name}"
             for path in sorted((ROOT / package).rglob("*.py"))
             for name in sorted(_strings(path) & foreign)]
    wrong += [f"{path.relative_to(ROOT)} imports {name}"
              for path in sorted((ROOT / package).rglob("*.py"))
              for name in sorted(_imports(path))
              if name.endswith(".tables") and name.split(".")[0] not in MAY_USE[package]]
    assert wrong == []


@pytest.mark.parametrize("package", sorted(OWNED))
def test_a_package_migrates_only_its_own_tables(package):
    folder = ROOT / package / ("storage/migrations/versions" if package == "engine" else "migrations")
    created = {node.args[0].value for path in folder.glob("*.py")
               for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "create_table"
               and node.args and isinstance(node.args[0], ast.Constant)}
    assert created == OWNED[package]


# --- The engine's layout (issue 15): sub-packages show its parts; names say one thing each --------

ENGINE_CORE = {"__init__", "service", "steps", "unit_of_work", "runtime", "assignment", "worklist", "clock",
               "errors", "decisions"}
ENGINE_PACKAGES = {"sandbox", "models", "storage", "audit", "scheduling", "retention"}


def _engine_modules() -> list[Path]:
    return [path for path in sorted((ROOT / "engine").rglob("*.py")) if "migrations" not in path.parts]


def test_the_engine_keeps_only_its_step_core_at_the_top():
    top = ROOT / "engine"
    assert {path.stem for path in top.glob("*.py")} == ENGINE_CORE
    assert {path.name for path in top.iterdir() if (path / "__init__.py").is_file()} == ENGINE_PACKAGES


def test_no_two_engine_modules_share_a_name():
    stems = [path.stem for path in _engine_modules() if path.stem != "__init__"]
    assert sorted({stem for stem in stems if stems.count(stem) > 1}) == []
    assert [stem for stem in stems if stem in ENGINE_PACKAGES] == []

"""The layering rule: `engine/` imports neither `processes/` nor `web/` (it is generic, the
municipality's rules plug in); `processes/` never imports `web/`. Checked on every import statement,
including those inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"engine": ("processes", "web", "cli"), "processes": ("web", "cli")}


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


# --- Table ownership (issue 15): each package declares and migrates its own tables ---------------

OWNED = {
    "engine": {"deployments", "process_versions", "clients", "cases", "instances", "events", "work_items",
               "waits", "schedules", "deadlines", "inbox", "destruction_lists", "destruction_list_items",
               "destroyed_cases", "processing_log", "processing_log_heads"},
    "processes": {"ledger_lines", "documents", "beschikkingen", "bezwaren", "public_submissions",
                  "published_reports"},
    "casework": {"teams", "users", "case_notes", "task_drafts", "absences", "case_teams", "gemeente_settings",
                 "admin_log", "pending_deployments", "model_tests", "api_tokens"},
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
    folder = ROOT / package / "migrations" / ("versions" if package == "engine" else "")
    created = {node.args[0].value for path in folder.glob("*.py")
               for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "create_table"
               and node.args and isinstance(node.args[0], ast.Constant)}
    assert created == OWNED[package]

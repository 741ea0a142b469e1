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

"""The cells bpmn/rules/README.md shows run the same in a process bundle's Python table as in a
rule pack (issue 20: "every start fails on the README's own `not in (…)` cell"): an operator cell
is appended to the input with a space, ``?`` stands for the input, a whole expression is compared
for equality. Deployed, started and replayed (verify) on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.engine.helpers import make_engine
from tests.processes.helpers import data

MODELS = Path(__file__).resolve().parents[1] / "models"


@pytest.mark.parametrize(("cell", "trede", "spoor"), [
    ("not in (3, 4, 5, 6)", 2, "activering"),  # README: appended to the input, as `in (...)`
    ("not in (2, 3)", 1, "activering"),
    ("in (1, 2)", 1, "activering"),
    ("&lt;= 2", 2, "activering"),  # README: `>= 27`
    ("0 &lt; ? &lt; 3", 2, "activering"),  # README: `3 < ? <= 12`
    ("2", 2, "activering"),  # README: a complete expression is compared for equality
])
def test_a_readme_cell_in_a_bundle_runs_and_replays(db, cell, trede, spoor):
    engine = make_engine(db)
    table = (MODELS / "ladder.dmn").read_text().replace("&lt;= 2", cell)
    engine.deploy({"aanvraag.bpmn": (MODELS / "aanvraag.bpmn").read_bytes(), "ladder.dmn": table.encode()},
                  gemeente="woerden", actor="setup")
    case, instance_id = engine.start_case("woerden", "999990019", "Jan Jansen", "aanvraag",
                                          {"trede": trede, "startdatum": date(2026, 1, 5), "uren": 10})
    assert data(engine, instance_id)["begeleidingsspoor"] == spoor
    verdict = engine.verify(case.id)
    assert verdict.ok, verdict.problems

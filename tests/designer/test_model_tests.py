"""Model tests: process scenarios run in memory, decision scenarios against the rule packs."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from casework.designer import model_tests
from casework.designer.approvals import encode_files
from engine.errors import InvalidInput
from engine.storage.db import events, instances
from processes.decisions.service import get_decision_service
from tests.designer.helpers import GEMEENTE, bundle_text, edited_bundle


def _process_test(expect: dict, steps=None) -> model_tests.ModelTest:
    scenario = {"start": {"peildatum": "2026-01-31"},
                "steps": steps if steps is not None else [{"task": "diagnose", "data": {"trede": 3}}],
                "expect": expect}
    return model_tests.ModelTest(1, "process", "intake", "trede 3", scenario)


def _run(engine, test, files=None):
    return model_tests.run_bundle_tests(engine.runtime, get_decision_service(),
                                        encode_files(files or bundle_text()), GEMEENTE, [test])[0]


def test_a_process_scenario_checks_path_and_data_without_touching_the_database(engine):
    with engine.db.connect() as conn:
        before = [conn.execute(select(func.count()).select_from(t)).scalar_one() for t in (events, instances)]
    expect = {"path": ["diagnose", "plan"],
              "data": {"spoor": "re-integratiebegeleiding", "evaluatie_op": "2026-07-31"}}
    passed = _run(engine, _process_test(expect))
    assert passed.passed, passed.messages
    assert passed.path == ["diagnose", "plan"]
    failed = _run(engine, _process_test({"path": ["diagnose", "plan"]}), edited_bundle())
    assert not failed.passed and "activering" in failed.messages[0]
    with engine.db.connect() as conn:
        after = [conn.execute(select(func.count()).select_from(t)).scalar_one() for t in (events, instances)]
    assert after == before


def test_a_scenario_step_that_is_not_open_is_reported(engine):
    outcome = _run(engine, _process_test({}, steps=[{"task": "afronden", "data": {}}]))
    assert not outcome.passed and "afronden staat niet open (open: diagnose)" in outcome.messages[0]


def test_a_decision_scenario_uses_the_rule_packs(engine):
    good = model_tests.ModelTest(2, "decision", "LadderSpoor", "trede 1",
                                 {"inputs": {"trede": 1}, "expect": {"begeleidingsspoor": "activering"}})
    bad = model_tests.ModelTest(3, "decision", "LadderSpoor", "trede 5",
                                {"inputs": {"trede": 5}, "expect": {"begeleidingsspoor": "activering"}})
    assert _run(engine, good).passed
    outcome = _run(engine, bad)
    assert not outcome.passed and "re-integratiebegeleiding" in outcome.messages[0]


def test_scenarios_are_checked_when_stored(engine):
    with pytest.raises(InvalidInput, match="geen geldige JSON"):
        model_tests.add_test(engine.db, GEMEENTE, "process", "intake", "x", "{niet json", "ontwerper")
    with pytest.raises(InvalidInput, match="inputs"):
        model_tests.add_test(engine.db, GEMEENTE, "decision", "LadderSpoor", "x", "{}", "ontwerper")
    test_id = model_tests.add_test(engine.db, GEMEENTE, "decision", "LadderSpoor", "ok",
                                   json.dumps({"inputs": {"trede": 1}, "expect": {}}), "ontwerper")
    assert [t.id for t in model_tests.tests_for(engine.db, GEMEENTE, "decision")] == [test_id]
    assert model_tests.tests_for(engine.db, "apeldoorn") == []

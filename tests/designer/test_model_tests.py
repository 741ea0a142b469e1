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


# Issue 20, item 8: model tests move the clock and fire timers and messages, as a running case does.
BERICHT = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://trede.test/b">
  <bpmn:process id="uwv" name="Wacht op UWV (test)" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="rapport_binnen" name="Rapport UWV ontvangen">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:messageEventDefinition id="m1" messageRef="RapportUWV">
        <bpmn:extensionElements><spiffworkflow:messageVariable>rapport</spiffworkflow:messageVariable></bpmn:extensionElements>
      </bpmn:messageEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="beoordelen" name="Rapport beoordelen"><bpmn:incoming>f2</bpmn:incoming></bpmn:userTask>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="rapport_binnen" />
    <bpmn:sequenceFlow id="f2" sourceRef="rapport_binnen" targetRef="beoordelen" />
  </bpmn:process>
  <bpmn:message id="RapportUWV" name="RapportUWV" />
</bpmn:definitions>
"""


def _scenario_test(process_id: str, scenario: dict) -> model_tests.ModelTest:
    return model_tests.ModelTest(9, "process", process_id, "met de tijd", scenario)


def test_a_wacht_step_moves_the_clock_and_fires_the_bundled_evaluatie_timer(engine):
    """The evaluatie process (bpmn/processes/participatiewet/evaluatie.bpmn) waits until its
    evaluatiedatum; the scenario clock starts at 5 januari 2026."""
    from processes.catalogue import bundles

    bundle = next(b for b in bundles() if b.name == "participatiewet")
    files = {n: t.decode("utf-8") for n, t in bundle.files.items()}
    start = {"evaluatiedatum": "2026-03-01"}
    stuck = _run(engine, _scenario_test("evaluatie", {"start": start, "expect": {"path": ["gesprek"]}}),
                 files)
    assert not stuck.passed and stuck.path == []  # without moving the clock the timer waits
    early = _run(engine, _scenario_test("evaluatie", {"start": start, "steps": [{"wacht": "P14D"}],
                                                      "expect": {"path": ["gesprek"]}}), files)
    assert not early.passed and early.path == []  # two weeks on: not yet 1 maart
    due = _run(engine, _scenario_test("evaluatie", {"start": start, "steps": [{"wacht": "P60D"}],
                                                    "expect": {"path": ["gesprek"]}}), files)
    assert due.passed, due.messages


def test_a_bericht_step_delivers_a_message_with_its_content(engine):
    files = {"uwv.bpmn": BERICHT}
    outcome = _run(engine, _scenario_test("uwv", {
        "steps": [{"bericht": "RapportUWV", "inhoud": {"loonwaarde": 60}}],
        "expect": {"path": ["beoordelen"], "data": {"rapport": {"loonwaarde": 60}}}}), files)
    assert outcome.passed, outcome.messages
    wrong = _run(engine, _scenario_test("uwv", {"steps": [{"bericht": "Anders"}, {"wacht": "P1D"}]}), files)
    assert wrong.messages == [
        "stap 1: niets wacht op bericht 'Anders' (het proces wacht op: bericht RapportUWV)"]
    no_timer = _run(engine, _scenario_test("uwv", {"steps": [{"wacht": "P1D"}]}), files)
    assert no_timer.messages[0].startswith("stap 1: er wacht geen timer")


def test_a_scenario_with_a_bad_wacht_is_refused_when_saved(engine):
    with pytest.raises(InvalidInput, match="ISO 8601-duur"):
        model_tests.add_test(engine.db, GEMEENTE, "process", "intake", "x",
                             json.dumps({"steps": [{"wacht": "14 dagen"}]}), "ontwerper")
    with pytest.raises(InvalidInput, match="wacht"):
        model_tests.add_test(engine.db, GEMEENTE, "process", "intake", "x",
                             json.dumps({"steps": [{"wacht": "P1D", "task": "diagnose"}]}), "ontwerper")

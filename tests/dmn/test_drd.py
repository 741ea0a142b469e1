"""Decision requirements diagrams (issue 21 item 3): several decisions in one file, decisions that
require other decisions and input data, literal expressions and a business knowledge model, run
by a business rule task in dependency order; circles and dangling requirements refused at
validation with a Dutch message naming the decisions.

The diagram is the leerwerkplek fee of seed 002 (Ooststellingwerf) art. 8, see
tests/fixtures/dmn/leerwerkplek-vergoeding.dmn: trede 3 and 4; EUR 100 a month at 15 hours a week or
more, EUR 50 below; only when the whole trajectory is 30 hours a week (AMB-10: at least 30)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.dmn.definitions import DecisionModel, Unsupported
from engine.models.validation import parse_bundle, validate_bundle
from engine.sandbox.environment import make_script_engine
from tests.dmn.drd import PROCESS, TEXT, bundle, with_cycle


def _model(text: str = TEXT) -> DecisionModel:
    return DecisionModel(etree.fromstring(text.encode()))


def _run_task(data: dict) -> dict:
    spec, subprocesses = parse_bundle(bundle()).get_spec("leerwerkplek")
    workflow = BpmnWorkflow(spec, subprocesses, script_engine=make_script_engine())
    workflow.get_tasks()[0].data.update(data)
    workflow.do_engine_steps()
    [task] = workflow.get_tasks(state=16)  # READY: the user task after the decision
    return task.data


@pytest.mark.parametrize("trede, uren, aanvullend, vergoeding", [
    (3, 15, 15, 100),  # art. 8: vijftien uur of meer, traject van 30 uur
    (4, 12, 20, 50),  # minder dan vijftien uur
    (4, 20, 5, 0),  # traject van 25 uur: de voorwaarde van 30 uur faalt (AMB-10)
    (5, 20, 20, 0),  # trede 5 is niet de doelgroep (trede 3 en 4)
])
def test_the_top_decision_is_evaluated_with_what_it_requires(trede, uren, aanvullend, vergoeding):
    inputs = {"trede": trede, "urenLeerwerkplek": uren, "urenAanvullend": aanvullend}
    run = _model().run("LeerwerkplekVergoeding", inputs)
    assert run.value == vergoeding
    assert [step.name for step in run.steps] == [
        "Doelgroep leerwerkplek", "Totaal traject uren", "Leerwerkplekvergoeding"]


def test_a_required_decision_can_be_asked_by_itself_and_by_name():
    model = _model()
    assert model.evaluate("Totaal traject uren", {"urenLeerwerkplek": 12, "urenAanvullend": 20}) == 32
    assert model.evaluate("d_doelgroep", {"trede": 2}) is False  # defaultOutputEntry: no rule matched


def test_a_business_rule_task_runs_the_diagram_and_records_every_decision():
    data = _run_task({"trede": 4, "urenLeerwerkplek": 12, "urenAanvullend": 20})
    assert data["vergoeding"] == 50
    record = data["beslissing_LeerwerkplekVergoeding"]
    assert record["gebruikt"] == ["l_vergoeding"] and record["hitPolicy"] == "FIRST"
    assert [(r["beslissing"], r["waarde"]) for r in record["vereist"]] == [
        ("Doelgroep leerwerkplek", True), ("Totaal traject uren", Decimal(32))]
    assert record["aanroepen"][0]["bkm"] == "Vergoeding bij uren"
    assert record["aanroepen"][0]["gebruikt"] == ["v_minder"]
    why = record["uitleg"]
    assert why.startswith("FIRST: regels l_vergoeding, l_geen zijn van toepassing; uitkomst van l_vergoeding")
    assert "Vergoeding bij uren(uren = 12) = 50: UNIQUE: regel v_minder is van toepassing" in why
    assert "Vereiste beslissingen, in de volgorde waarin ze zijn genomen: " \
        "Doelgroep leerwerkplek = true" in why
    assert "Totaal traject uren = 32 (urenLeerwerkplek + urenAanvullend = 32)" in why


def test_the_diagram_validates_and_every_decision_in_it_can_be_called():
    assert validate_bundle(bundle()) == []
    for decision_id in ("d_doelgroep", "d_traject"):
        process = PROCESS.replace(">LeerwerkplekVergoeding<", f">{decision_id}<")
        files = {**bundle(), "leerwerkplek.bpmn": process.encode()}
        assert validate_bundle(files) == [], decision_id


def test_decisions_that_require_each_other_are_refused_naming_them():
    [problem] = validate_bundle(bundle(with_cycle()))
    assert problem.file == "leerwerkplek.dmn" and problem.line is not None
    assert "beslissingen vereisen elkaar in een kring" in problem.message
    assert "Doelgroep leerwerkplek -> Leerwerkplekvergoeding -> Doelgroep leerwerkplek" in problem.message \
        or "Leerwerkplekvergoeding -> Doelgroep leerwerkplek -> Leerwerkplekvergoeding" in problem.message
    with pytest.raises(Unsupported, match="kring"):
        _model(with_cycle())


def test_a_requirement_that_points_nowhere_is_refused_naming_it():
    text = TEXT.replace('<requiredDecision href="#d_traject"/>', '<requiredDecision href="#d_uren"/>')
    [problem] = validate_bundle(bundle(text))
    assert problem.message == ("beslissing 'Leerwerkplekvergoeding': vereiste beslissing 'd_uren' "
                               "bestaat niet in dit bestand")


def test_a_call_of_an_unknown_function_is_refused_at_validation():
    text = TEXT.replace("Vergoeding bij uren(urenLeerwerkplek)", "vergoedingPerUur(urenLeerwerkplek)")
    [problem] = validate_bundle(bundle(text))
    assert problem.line == 57 and problem.element_id == "LeerwerkplekVergoeding"
    assert "regel l_vergoeding" in problem.message
    assert "functie 'vergoedingPerUur' wordt niet ondersteund" in problem.message


def test_a_diagram_in_python_is_refused_with_what_to_write_instead():
    text = TEXT.replace('namespace="urn:trede:test:leerwerkplek"',
                        'namespace="urn:trede:test:leerwerkplek" expressionLanguage="https://www.python.org/"')
    [problem] = validate_bundle(bundle(text))
    assert "wordt in FEEL geschreven" in problem.message


def test_what_a_diagram_cannot_run_is_refused_by_name():
    literal = "<literalExpression><text>urenLeerwerkplek + urenAanvullend</text></literalExpression>"
    text = TEXT.replace(literal,
                        '<context><contextEntry><variable name="x"/><literalExpression><text>1</text>'
                        "</literalExpression></contextEntry></context>")
    [problem] = validate_bundle(bundle(text))
    assert "context-expressie (<context>" in problem.message and "wordt niet ondersteund" in problem.message


def test_a_knowledge_model_may_be_called_with_named_arguments():
    call = "Vergoeding bij uren(urenLeerwerkplek)"
    text = TEXT.replace(call, "Vergoeding bij uren(uren: urenLeerwerkplek)")
    inputs = {"trede": 3, "urenLeerwerkplek": 15, "urenAanvullend": 15}
    assert _model(text).evaluate("LeerwerkplekVergoeding", inputs) == 100
    wrong = TEXT.replace(call, "Vergoeding bij uren(uur: urenLeerwerkplek)")
    assert _model(wrong).evaluate("LeerwerkplekVergoeding", inputs) is None  # FEEL: no such parameter, null

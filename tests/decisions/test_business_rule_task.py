"""A business rule task in a process asks the decision service, the way engine.runtime wires it."""

from __future__ import annotations

from datetime import date

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import VALIDATOR

from engine.decisions import TredeBpmnParser
from engine.sandbox.environment import make_script_engine

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Proces" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="beslis" name="{decision}">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>{decision}</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="beslis"/>
    <bpmn:sequenceFlow id="f2" sourceRef="beslis" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def _run(service, decision: str, data: dict, gemeente: str = "ooststellingwerf", bpmn: str = BPMN) -> dict:
    parser = TredeBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_str(bpmn.replace("{decision}", decision).encode(), filename="proces.bpmn")
    engine = make_script_engine()
    # as engine.runtime.Runtime.script_engine does it, with the step's date as `today`
    engine.decide = lambda decision_id, task: service.evaluate_in_case(
        decision_id, task.data, gemeente, date(2024, 9, 1)
    )
    workflow = BpmnWorkflow(parser.get_spec("Proces"), script_engine=engine)
    workflow.get_tasks()[0].data.update(data)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    return workflow.data


def test_business_rule_task_merges_outputs_and_trace(service):
    data = _run(
        service,
        "UitstroompremieMoment",
        {
            "indiensttreding": "2024-01-15",
            "aanvraagdatum": "2024-07-15",
            "premieNummer": 1,
            "aantalUitbetaald": 0,
            "bsn": "111222333",
        },
    )
    assert (data["uitkomst"], data["bedrag"], data["werkmaand"]) == ("toekennen", 600, 7)
    trace = data["beslissing_UitstroompremieMoment"]
    assert trace["peildatum"] == "2024-07-15" and trace["versie"] == "2023-07-01"
    assert trace["regel"]["id"] == "r3_eerste_premie"
    assert "bsn" not in trace["inputs"]  # only the decision's own inputs are recorded


def test_adopted_decision_in_a_woerden_process(service):
    data = _run(service, "LadderSpoor", {"trede": 5}, gemeente="woerden")
    assert data["begeleidingsspoor"] == "re-integratiebegeleiding"
    assert data["beslissing_LadderSpoor"]["adoptedFrom"] == "ooststellingwerf"


TWICE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Proces" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="eerste">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>InstrumentGeschiktheid</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:scriptTask id="gewijzigd"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>trede = 3
urenAanbodPerWeek = 20</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:businessRuleTask id="tweede">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>InstrumentGeschiktheid</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="eerste"/>
    <bpmn:sequenceFlow id="f2" sourceRef="eerste" targetRef="gewijzigd"/>
    <bpmn:sequenceFlow id="f3" sourceRef="gewijzigd" targetRef="tweede"/>
    <bpmn:sequenceFlow id="f4" sourceRef="tweede" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_re_evaluating_a_collect_decision_replaces_its_lists(service):
    data = _run(service, "InstrumentGeschiktheid", {"trede": 1}, bpmn=TWICE)
    assert data["instrument"] == ["leerwerkplek", "werkstage", "sociale_activering"]
    assert data["maxDuurMaanden"] == [6, 6, 12]

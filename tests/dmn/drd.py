"""The leerwerkplek decision requirements diagram (tests/fixtures/dmn) and small changes to it."""
from __future__ import annotations

from pathlib import Path

DRD = Path(__file__).resolve().parents[1] / "fixtures" / "dmn" / "leerwerkplek-vergoeding.dmn"
TEXT = DRD.read_text(encoding="utf-8")

# A business rule task calling the diagram's top decision, then a user task that holds the data.
PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="urn:test">
  <bpmn:process id="leerwerkplek" name="Leerwerkplek (test)" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="beslis" name="Vergoeding bepalen">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>LeerwerkplekVergoeding</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:userTask id="beoordeel" name="Vergoeding beoordelen">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="beslis"/>
    <bpmn:sequenceFlow id="f2" sourceRef="beslis" targetRef="beoordeel"/>
    <bpmn:sequenceFlow id="f3" sourceRef="beoordeel" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def bundle(dmn: str = TEXT) -> dict[str, bytes]:
    return {"leerwerkplek.bpmn": PROCESS.encode(), "leerwerkplek.dmn": dmn.encode()}


def with_cycle() -> str:
    """Doelgroep leerwerkplek now also requires the top decision, which requires it."""
    return TEXT.replace('<informationRequirement><requiredInput href="#i_trede"/></informationRequirement>',
                        '<informationRequirement><requiredInput href="#i_trede"/></informationRequirement>'
                        '<informationRequirement><requiredDecision href="#LeerwerkplekVergoeding"/>'
                        '</informationRequirement>')

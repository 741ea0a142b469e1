"""Small DMN tables and a one-task process to run them on, the way a deployed bundle runs them."""
from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.models.validation import parse_bundle, validate_bundle
from engine.sandbox.environment import make_script_engine

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="urn:test">
  <bpmn:process id="Proces" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="beslis">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>Tabel</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="beslis"/>
    <bpmn:sequenceFlow id="f2" sourceRef="beslis" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""

DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def table(rules: list[tuple[str, str]], hit_policy: str = "UNIQUE", aggregation: str | None = None,
          language: str | None = "python", input_expression: str = "leeftijd",
          output_values: str | None = None, namespace: str = DMN13, output: str = "bedrag") -> str:
    """A one-input, one-output table; ``rules`` are (input entry, output entry)."""
    attributes = f'hitPolicy="{hit_policy}"'
    if aggregation:
        attributes += f' aggregation="{aggregation}"'
    language_attribute = f' expressionLanguage="{language}"' if language else ""
    values = f"<outputValues><text>{output_values}</text></outputValues>" if output_values else ""
    rows = "".join(
        f'<rule id="r{n}"><description>regel {n}</description>'
        f'<inputEntry id="i{n}"><text>{cell}</text></inputEntry>'
        f'<outputEntry id="o{n}"><text>{out}</text></outputEntry></rule>'
        for n, (cell, out) in enumerate(rules, 1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{namespace}" id="defs" name="Test" namespace="urn:test"{language_attribute}>
  <decision id="Tabel" name="Tabel">
    <decisionTable id="dt" {attributes}>
      <input id="in1" label="Leeftijd"><inputExpression id="ie1" typeRef="number">
        <text>{input_expression}</text></inputExpression></input>
      <output id="out1" label="Uitkomst" name="{output}" typeRef="number">{values}</output>
      {rows}
    </decisionTable>
  </decision>
</definitions>
"""


def bundle(dmn: str) -> dict[str, bytes]:
    return {"proces.bpmn": PROCESS.encode(), "tabel.dmn": dmn.encode()}


def run(dmn: str, data: dict[str, Any], legacy: bool = False) -> dict[str, Any]:
    """Deploy-parse the bundle and run the process once; the data it ends with."""
    spec, subprocesses = parse_bundle(bundle(dmn), legacy=legacy).get_spec("Proces")
    workflow = BpmnWorkflow(spec, subprocesses, script_engine=make_script_engine())
    workflow.get_tasks()[0].data.update(data)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    return workflow.data


def problems(dmn: str) -> list[str]:
    return [problem.message for problem in validate_bundle(bundle(dmn))]

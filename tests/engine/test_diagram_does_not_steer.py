"""What a case does follows from the process part of its model, never from the drawing.

SpiffWorkflow orders a node's outgoing branches by where their targets are drawn (their y position);
trede's parser ignores positions, so moving a shape in the modeler, or laying the bundled models out
anew (scripts/layout_bundled.py), cannot change the order in which parallel branches run.
"""
from __future__ import annotations

from tests.engine.helpers import make_engine

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    id="d" targetNamespace="x">
  <bpmn:process id="volgorde" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:scriptTask id="begin"><bpmn:script>volgorde = []</bpmn:script></bpmn:scriptTask>
    <bpmn:parallelGateway id="split" />
    <bpmn:scriptTask id="a"><bpmn:script>volgorde.append("a")</bpmn:script></bpmn:scriptTask>
    <bpmn:scriptTask id="b"><bpmn:script>volgorde.append("b")</bpmn:script></bpmn:scriptTask>
    <bpmn:parallelGateway id="join" />
    <bpmn:userTask id="klaar" name="Klaar" />
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="begin" />
    <bpmn:sequenceFlow id="f1" sourceRef="begin" targetRef="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="a" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="b" />
    <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="join" />
    <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="klaar" />
    <bpmn:sequenceFlow id="f7" sourceRef="klaar" targetRef="e" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="volgorde">
    <bpmndi:BPMNShape id="a_di" bpmnElement="a">
      <dc:Bounds x="300" y="{ya}" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="b_di" bpmnElement="b">
      <dc:Bounds x="300" y="{yb}" width="100" height="80"/></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def order_run(engine, gemeente: str, ya: int, yb: int) -> list[str]:
    model = MODEL.replace("{ya}", str(ya)).replace("{yb}", str(yb))
    engine.deploy({"volgorde.bpmn": model.encode()}, gemeente=gemeente, actor="test")
    case, _ = engine.start_case(gemeente, "999990019", "Jan Jansen", "volgorde", {})
    (task,) = engine.ready_tasks(case_id=case.id)
    return list(engine.task_data(task.task_id)["volgorde"])


def test_moving_a_branch_in_the_drawing_does_not_change_the_order_it_runs_in(db):
    engine = make_engine(db)
    a_drawn_above = order_run(engine, "ooststellingwerf", ya=100, yb=300)
    b_drawn_above = order_run(engine, "apeldoorn", ya=300, yb=100)
    # each branch works on its own copy of the data and the join keeps the branch that ran last:
    # b, the second flow the model lists, wherever a and b are drawn
    assert a_drawn_above == b_drawn_above == ["b"]

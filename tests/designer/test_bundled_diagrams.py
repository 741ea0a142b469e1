"""Every bundled model carries a diagram a designer can read (issue 20 item 4).

What a designer would notice: a lane per role drawn around its steps, every step and flow drawn,
no box on top of another, no line running through a box, the diagram up to date with the model.
The browser half opens each bundled process in the modeler (tests/designer/test_diagram_browser.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from web.designer.layout import add_diagram, replace_diagram

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "bpmn").rglob("*.bpmn"))
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DI = "{http://www.omg.org/spec/DD/20100524/DI}"
FLOW_NODES = ("task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
              "receiveTask", "callActivity", "subProcess", "startEvent", "endEvent", "intermediateCatchEvent",
              "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway", "parallelGateway",
              "inclusiveGateway", "eventBasedGateway")

Box = tuple[float, float, float, float]


def drawing(text: str) -> tuple[etree._Element, dict[str, Box], dict[str, list[tuple[float, float]]]]:
    root = etree.fromstring(text.encode("utf-8"))
    shapes = {s.get("bpmnElement"): tuple(float(s.find(f"{DC}Bounds").get(k))
                                          for k in ("x", "y", "width", "height"))
              for s in root.iter(f"{BPMNDI}BPMNShape")}
    edges = {e.get("bpmnElement"): [(float(w.get("x")), float(w.get("y"))) for w in e.iter(f"{DI}waypoint")]
             for e in root.iter(f"{BPMNDI}BPMNEdge")}
    return root, shapes, edges  # type: ignore[return-value]


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def crosses(segment: tuple[tuple[float, float], tuple[float, float]], box: Box) -> bool:
    """Whether an axis-parallel line segment runs through the inside of a box."""
    (x1, y1), (x2, y2) = segment
    left, top, right, bottom = box[0] + 1, box[1] + 1, box[0] + box[2] - 1, box[1] + box[3] - 1
    if y1 == y2:
        return top < y1 < bottom and min(x1, x2) < right and max(x1, x2) > left
    return left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT / "bpmn")))
def test_the_bundled_diagram_is_up_to_date(path):
    text = path.read_text(encoding="utf-8")
    assert replace_diagram(text) == text, "run: .venv/bin/python scripts/layout_bundled.py"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT / "bpmn")))
def test_every_lane_step_and_flow_is_drawn_without_overlap(path):
    root, shapes, edges = drawing(path.read_text(encoding="utf-8"))
    process = root.find(f"{BPMN}process")
    nodes = {n.get("id"): n for n in process.iterchildren(etree.Element)
             if etree.QName(n).localname in FLOW_NODES}
    lanes = {lane.get("id"): [r.text.strip() for r in lane.findall(f"{BPMN}flowNodeRef")]
             for lane in process.iter(f"{BPMN}lane")}
    flows = {f.get("id"): f for f in process.findall(f"{BPMN}sequenceFlow")}
    assert set(lanes) and set(lanes) <= set(shapes), "every lane is drawn"
    assert set(nodes) <= set(shapes), "every step, event and gateway is drawn"
    assert set(flows) == set(edges), "every sequence flow is drawn"
    for lane_id, refs in lanes.items():  # who does what: each step inside its lane's band
        for ref in refs:
            x, y, w, h = shapes[ref]
            lx, ly, lw, lh = shapes[lane_id]
            assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, f"{ref} outside {lane_id}"
    boxes = {i: shapes[i] for i, n in nodes.items() if etree.QName(n).localname != "boundaryEvent"}
    ids = sorted(boxes)
    for index, a in enumerate(ids):
        for b in ids[index + 1:]:
            assert not overlap(boxes[a], boxes[b]), f"{a} and {b} overlap"
    for flow_id, points in edges.items():
        ends = {flows[flow_id].get("sourceRef"), flows[flow_id].get("targetRef")}
        hosts = {nodes[e].get("attachedToRef") for e in ends if e in nodes}
        for segment in zip(points, points[1:], strict=False):
            assert segment[0][0] == segment[1][0] or segment[0][1] == segment[1][1], "right-angled lines"
            through = [i for i, box in boxes.items() if i not in ends | hosts and crosses(segment, box)]
            assert not through, f"{flow_id} runs through {through}"


def test_steps_follow_the_flow_left_to_right():
    text = (ROOT / "bpmn/processes/participatiewet/evaluatie.bpmn").read_text(encoding="utf-8")
    _, shapes, _ = drawing(text)
    assert shapes["start"][0] < shapes["voorbereiden"][0] < shapes["gesprek"][0] < shapes["einde"][0]


def test_technical_steps_are_set_apart():
    text = (ROOT / "bpmn/processes/participatiewet/evaluatie.bpmn").read_text(encoding="utf-8")
    root, _, _ = drawing(text)
    color = "{http://www.omg.org/spec/BPMN/non-normative/color/1.0}background-color"
    fills = {s.get("bpmnElement"): s.get(color) for s in root.iter(f"{BPMNDI}BPMNShape")}
    assert fills["voorbereiden"] == "#eeeeee"  # a script: grey
    assert fills["gesprek"] is None  # the conversation with the client: a person's step, as drawn


def test_the_model_text_is_kept_and_a_loop_is_drawn_under_its_lane():
    model = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment that stays -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:userTask id="a" name="Doen" />
    <bpmn:exclusiveGateway id="g" />
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="g" />
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="a" />
    <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>
"""
    laid_out = add_diagram(model)
    assert laid_out.startswith(model[: model.index("</bpmn:process>")])  # the model itself untouched
    assert add_diagram(laid_out) == laid_out and replace_diagram(laid_out) == laid_out
    _, shapes, edges = drawing(laid_out)
    loop = edges["f3"]
    assert max(y for _, y in loop) > shapes["a"][1] + shapes["a"][3]  # back under the step
    assert loop[-1] == (shapes["a"][0], shapes["a"][1] + shapes["a"][3] / 2)  # into its left side

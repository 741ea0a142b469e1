"""A plain diagram (BPMNDI) for processes that have none, so that bpmn-js can open them.

Models written by hand or generated (this project's own processes) carry no diagram, and bpmn-js
refuses a model without one. The layout is deliberately simple: columns by distance from the start
along the sequence flows, one row per node in a column, boundary events on their activity's lower
edge, subprocesses collapsed with their content on a plane of their own (bpmn-js drills down into
it). Only files without any diagram are touched; what the process does is never changed.
"""
from __future__ import annotations

from lxml import etree

from engine.models.safe_xml import parse_safe_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
SMALL = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
GATEWAYS = ("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway")
ACTIVITIES = ("task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
              "receiveTask", "callActivity", "subProcess", "transaction", "adHocSubProcess")
DATA = ("dataObjectReference", "dataStoreReference", "textAnnotation")
SUBPROCESSES = ("subProcess", "transaction", "adHocSubProcess")
COLUMN, ROW, TOP, LEFT = 170, 130, 80, 60


def needs_diagram(text: str) -> bool:
    return "BPMNDiagram" not in text


def add_diagram(text: str) -> str:
    """The model with a generated diagram for every process and subprocess (unchanged if it has one)."""
    if not needs_diagram(text):
        return text
    root = parse_safe_xml(text.encode("utf-8")).getroot()
    if root.find(f"{{{BPMNDI}}}BPMNDiagram") is not None:
        return text
    containers = root.findall(f"{{{BPMN}}}process")
    collaboration = root.find(f"{{{BPMN}}}collaboration")
    if collaboration is not None:
        return text  # pools need a designer's hand; a collaboration without a diagram stays as it is
    for index, process in enumerate(containers):
        _plane(root, process, f"Diagram_{index + 1}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _local(node) -> str:
    return etree.QName(node).localname


def _plane(root, container, diagram_id: str) -> None:
    diagram = etree.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", id=diagram_id)
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"{diagram_id}_plane",
                             bpmnElement=container.get("id"))
    children = list(container.iterchildren(etree.Element))  # comments are no elements
    nodes = [n for n in children if n.get("id") and _local(n) in SMALL + GATEWAYS + ACTIVITIES]
    flows = [f for f in children if _local(f) == "sequenceFlow"]
    boxes = _place(nodes, flows)
    data = [n for n in children if n.get("id") and _local(n) in DATA]
    bottom = max((y + h for _, y, _, h in boxes.values()), default=TOP) + ROW // 2
    for index, node in enumerate(data):
        w, h = (100, 30) if _local(node) == "textAnnotation" else (36, 50)
        boxes[node.get("id")] = (LEFT + index * COLUMN, bottom, w, h)
    for node in nodes + data:
        x, y, w, h = boxes[node.get("id")]
        attrs = {"id": f"{node.get('id')}_di", "bpmnElement": node.get("id")}
        if _local(node) in SUBPROCESSES:
            attrs["isExpanded"] = "false"
        if _local(node) == "exclusiveGateway":
            attrs["isMarkerVisible"] = "true"
        shape = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", attrs)
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=str(x), y=str(y), width=str(w), height=str(h))
    for flow in flows:
        source, target = boxes.get(flow.get("sourceRef")), boxes.get(flow.get("targetRef"))
        if source is None or target is None:
            continue
        edge = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow.get('id')}_di",
                                bpmnElement=flow.get("id"))
        for px, py in _route(source, target, bottom):
            etree.SubElement(edge, f"{{{DI}}}waypoint", x=str(px), y=str(py))
    for node in nodes:  # the content of a collapsed subprocess goes on a plane of its own
        if _local(node) in SUBPROCESSES:
            _plane(root, node, f"{diagram_id}_{node.get('id')}")


def _place(nodes: list, flows: list) -> dict[str, tuple[int, int, int, int]]:
    ids = [n.get("id") for n in nodes]
    kinds = {n.get("id"): _local(n) for n in nodes}
    edges = [(f.get("sourceRef"), f.get("targetRef")) for f in flows]
    targets = {t for _, t in edges}
    attached = {n.get("id"): n.get("attachedToRef") for n in nodes if _local(n) == "boundaryEvent"}
    starts = [i for i in ids if i not in targets and i not in attached] or ids[:1]
    column = {i: 0 for i in starts}
    queue = list(starts)
    while queue:  # breadth first: a node's column is its shortest distance from a start
        current = queue.pop(0)
        for boundary, host in attached.items():
            if host == current and boundary not in column:
                column[boundary] = column[current]
                queue.append(boundary)
        for source, target in edges:
            if source == current and target not in column:
                column[target] = column[current] + 1
                queue.append(target)
    rows: dict[int, int] = {}
    boxes: dict[str, tuple[int, int, int, int]] = {}
    for node_id in ids:
        if node_id in attached:
            continue
        col = column.get(node_id, max(column.values(), default=0) + 1)
        column[node_id] = col
        row = rows[col] = rows.get(col, -1) + 1
        w, h = _size(kinds[node_id])
        boxes[node_id] = (LEFT + col * COLUMN + (100 - w) // 2, TOP + row * ROW + (80 - h) // 2, w, h)
    for boundary, host in attached.items():  # on the host's lower edge
        hx, hy, hw, hh = boxes.get(host, (LEFT, TOP, 100, 80))
        boxes[boundary] = (hx + hw - 46, hy + hh - 18, 36, 36)
    return boxes


def _size(kind: str) -> tuple[int, int]:
    if kind in SMALL:
        return 36, 36
    if kind in GATEWAYS:
        return 50, 50
    return 100, 80


def _route(source, target, bottom: int) -> list[tuple[int, int]]:
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    if tx > sx + sw:  # forwards: right side to left side, with a bend when the rows differ
        start, end = (sx + sw, sy + sh // 2), (tx, ty + th // 2)
        if start[1] == end[1]:
            return [start, end]
        middle = (start[0] + end[0]) // 2
        return [start, (middle, start[1]), (middle, end[1]), end]
    below = bottom - 20  # backwards (a loop): under everything, back to the target
    return [(sx + sw // 2, sy + sh), (sx + sw // 2, below), (tx + tw // 2, below), (tx + tw // 2, ty + th)]

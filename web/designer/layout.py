"""Diagram interchange (BPMNDI) laid out from the model itself: lanes as bands, flow left to right.

The bundled processes are written by hand and carry no diagram of their own; bpmn-js refuses a model
without one, and a designer needs to see who does what. The layout:

* every lane of the process is a horizontal band (who does what), in the order of the lane set;
* columns follow the flow: a node stands one column right of the furthest node that leads to it
  (loops are found first and do not count), so branches run side by side and joins come after them;
* within its lane a node takes the row of the node it follows where that is free, so a chain of steps
  is a straight line; a flow that skips columns keeps its row free, so no box stands on a line;
* lines run right-angled through the gaps between columns and rows, never through a box; a loop back
  runs along a channel under its lane;
* technical steps (scripts, service calls) are drawn grey, so the steps of people stand out.

``add_diagram`` lays out a model that has no diagram; ``replace_diagram`` lays it out anew (the
bundled models: ``scripts/layout_bundled.py``). Only diagram elements are written; what the process
does is never changed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from engine.models.safe_xml import parse_safe_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
COLOR = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
SMALL = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
GATEWAYS = ("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway")
ACTIVITIES = ("task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
              "receiveTask", "callActivity", "subProcess", "transaction", "adHocSubProcess")
TECHNICAL = ("scriptTask", "serviceTask")
DATA = ("dataObjectReference", "dataStoreReference", "textAnnotation")
SUBPROCESSES = ("subProcess", "transaction", "adHocSubProcess")

LEFT, TOP = 40, 40  # the diagram's margin
HEADER = 30  # a lane's name is written in a strip at its left
GAP = 60  # between columns: room for the vertical part of lines
PITCH = 120  # one row: an 80 px box and 40 px for lines between rows
PAD = 25  # above the first and below the last row of a lane
CHANNEL = 14  # per loop line under a lane


def needs_diagram(text: str) -> bool:
    return "BPMNDiagram" not in text


def add_diagram(text: str) -> str:
    """The model with a generated diagram for every process and subprocess (unchanged if it has one)."""
    if not needs_diagram(text):
        return text
    return replace_diagram(text)


def replace_diagram(text: str) -> str:
    """The model with its diagram (if any) replaced by a generated one; a collaboration is left alone.

    The text of the model is kept as it is, comments and line numbers included: the old diagram is
    cut out and the new one written before the closing tag, declaring its own namespaces.
    """
    root = parse_safe_xml(text.encode("utf-8")).getroot()
    if root.find(f"{{{BPMN}}}collaboration") is not None:
        return text  # pools need a designer's hand
    diagrams: list[etree._Element] = []
    for index, process in enumerate(root.findall(f"{{{BPMN}}}process")):
        _plane(diagrams, process, f"Diagram_{index + 1}")
    written = ""
    for diagram in diagrams:
        etree.indent(diagram, space="  ", level=1)
        written += "  " + etree.tostring(diagram, encoding="unicode").rstrip() + "\n"
    kept = _OLD_DIAGRAM.sub("", text)
    closing = kept.rfind("</")
    return kept[:closing].rstrip() + "\n" + written + kept[closing:]


_OLD_DIAGRAM = re.compile(r"[ \t]*<(\w+:)?BPMNDiagram\b.*?</(\w+:)?BPMNDiagram>[ \t]*\n?", re.S)


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


@dataclass
class _Graph:
    """The nodes of one process level, its flows, and the lane of each node."""

    nodes: list[str]
    kinds: dict[str, str]
    flows: list[tuple[str, str, str]]  # flow id, source, target (a boundary event's flows included)
    hosts: dict[str, str]  # boundary event -> the activity it sits on
    lanes: list[tuple[str, str]]  # lane id, name (leaf lanes, top to bottom)
    lane_of: dict[str, int]
    rank: dict[str, int] = field(default_factory=dict)
    row: dict[str, int] = field(default_factory=dict)
    back: set[str] = field(default_factory=set)  # flow ids that loop back

    def anchor(self, node: str) -> str:
        """Where a node stands in the grid (a boundary event stands on its host)."""
        return self.hosts.get(node, node)


def _graph(container: etree._Element) -> _Graph:
    children = [c for c in container.iterchildren(etree.Element) if c.get("id")]
    flow_nodes = [c for c in children if _local(c) in SMALL + GATEWAYS + ACTIVITIES]
    kinds = {n.get("id"): _local(n) for n in flow_nodes}
    hosts = {n.get("id"): n.get("attachedToRef") for n in flow_nodes
             if _local(n) == "boundaryEvent" and n.get("attachedToRef") in kinds}
    flows = [(f.get("id"), f.get("sourceRef"), f.get("targetRef")) for f in children
             if _local(f) == "sequenceFlow" and f.get("sourceRef") in kinds and f.get("targetRef") in kinds]
    lanes = _leaf_lanes(container)
    lane_of: dict[str, int] = {}
    for index, lane in enumerate(lanes):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            lane_of.setdefault((ref.text or "").strip(), index)
    nodes = [n for n in kinds if n not in hosts]
    for boundary, host in hosts.items():
        lane_of[boundary] = lane_of.get(host, 0)
    for node in nodes:
        lane_of.setdefault(node, 0)
    return _Graph(nodes, kinds, flows, hosts, [(lane.get("id"), lane.get("name") or "") for lane in lanes],
                  lane_of)


def _leaf_lanes(container: etree._Element) -> list[etree._Element]:
    leaves: list[etree._Element] = []
    for lane_set in container.findall(f"{{{BPMN}}}laneSet"):
        for lane in lane_set.findall(f"{{{BPMN}}}lane"):
            children = lane.find(f"{{{BPMN}}}childLaneSet")
            leaves.extend(_leaf_lanes_of(children) if children is not None else [lane])
    return leaves


def _leaf_lanes_of(lane_set: etree._Element) -> list[etree._Element]:
    leaves: list[etree._Element] = []
    for lane in lane_set.findall(f"{{{BPMN}}}lane"):
        children = lane.find(f"{{{BPMN}}}childLaneSet")
        leaves.extend(_leaf_lanes_of(children) if children is not None else [lane])
    return leaves


def _find_loops(graph: _Graph) -> None:
    """Mark the flows that close a loop (depth first from the starts, in the model's order)."""
    outgoing: dict[str, list[tuple[str, str]]] = {n: [] for n in graph.nodes}
    for flow_id, source, target in graph.flows:
        outgoing[graph.anchor(source)].append((flow_id, graph.anchor(target)))
    incoming = {graph.anchor(t) for _, _, t in graph.flows}
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for start in [n for n in graph.nodes if n not in incoming] + graph.nodes:
        if start in state:
            continue
        stack = [(start, iter(outgoing[start]))]
        state[start] = 1
        while stack:
            node, todo = stack[-1]
            step = next(todo, None)
            if step is None:
                state[node] = 2
                stack.pop()
                continue
            flow_id, target = step
            if state.get(target) == 1:
                graph.back.add(flow_id)
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(outgoing[target])))


def _rank(graph: _Graph) -> None:
    """Column of each node: one past the furthest node leading to it (longest path, loops left out)."""
    forward = [(graph.anchor(s), graph.anchor(t)) for f, s, t in graph.flows
               if f not in graph.back and graph.anchor(s) != graph.anchor(t)]
    waiting = {n: 0 for n in graph.nodes}
    for _, target in forward:
        waiting[target] += 1
    ready = [n for n in graph.nodes if waiting[n] == 0]
    graph.rank = {n: 0 for n in graph.nodes}
    while ready:
        node = ready.pop(0)
        for source, target in forward:
            if source == node:
                graph.rank[target] = max(graph.rank[target], graph.rank[node] + 1)
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)


def _rows(graph: _Graph) -> None:
    """A row in its lane for each node: the row of what it follows where free, else the next free one."""
    taken: set[tuple[int, int, int]] = set()  # lane, row, rank
    order = {n: i for i, n in enumerate(graph.nodes)}
    preds: dict[str, list[str]] = {n: [] for n in graph.nodes}
    succs: dict[str, list[str]] = {n: [] for n in graph.nodes}
    for flow_id, source, target in graph.flows:
        if flow_id not in graph.back:
            preds[target].append(source)
            succs[graph.anchor(source)].append(target)

    def wish(node: str) -> int:
        lane = graph.lane_of[node]
        rows = [graph.row[graph.anchor(p)] + (1 if p in graph.hosts else 0) for p in preds.get(node, [])
                if graph.anchor(p) in graph.row and graph.lane_of[graph.anchor(p)] == lane]
        return min(rows, default=0)

    for rank in sorted(set(graph.rank.values())):
        here = sorted((n for n in graph.nodes if graph.rank[n] == rank),
                      key=lambda n: (wish(n), order[n]))
        for node in here:
            lane, row = graph.lane_of[node], wish(node)
            while (lane, row, rank) in taken:
                row += 1
            graph.row[node] = row
            taken.add((lane, row, rank))
            for target in succs[node]:  # a line that skips columns keeps its row free
                for between in range(rank + 1, graph.rank[graph.anchor(target)]):
                    taken.add((lane, row, between))
    for boundary, host in graph.hosts.items():
        graph.row[boundary] = graph.row[host]


@dataclass
class _Geometry:
    column_x: list[int]
    column_w: list[int]
    lane_y: list[int]
    lane_h: list[int]
    channel_y: list[int]  # where loop lines of each lane start
    width: int
    boxes: dict[str, tuple[int, int, int, int]]


def _geometry(graph: _Graph) -> _Geometry:
    columns = max(graph.rank.values(), default=0) + 1
    column_w = [36] * columns
    for node in graph.nodes:
        column_w[graph.rank[node]] = max(column_w[graph.rank[node]], _size(graph.kinds[node])[0])
    column_x, x = [], LEFT + HEADER + GAP // 2
    for width in column_w:
        column_x.append(x)
        x += width + GAP
    lane_count = max(len(graph.lanes), 1)
    rows_in = [0] * lane_count
    loops_in = [0] * lane_count
    for node in graph.nodes:
        lane = graph.lane_of[node]
        rows_in[lane] = max(rows_in[lane], graph.row[node] + 1)
    for flow_id, source, _ in graph.flows:
        if flow_id in graph.back:
            loops_in[graph.lane_of[source]] += 1
    lane_y, lane_h, channel_y, y = [], [], [], TOP
    for lane in range(lane_count):
        lane_y.append(y)
        channel_y.append(y + PAD + max(rows_in[lane], 1) * PITCH - 10)
        height = PAD * 2 + max(rows_in[lane], 1) * PITCH + loops_in[lane] * CHANNEL
        lane_h.append(height)
        y += height
    boxes: dict[str, tuple[int, int, int, int]] = {}
    for node in graph.nodes:
        w, h = _size(graph.kinds[node])
        rank, lane = graph.rank[node], graph.lane_of[node]
        middle = lane_y[lane] + PAD + graph.row[node] * PITCH + PITCH // 2
        boxes[node] = (column_x[rank] + (column_w[rank] - w) // 2, middle - h // 2, w, h)
    hosted: dict[str, int] = {}
    for boundary, host in graph.hosts.items():  # on the host's lower edge, right to left
        hx, hy, hw, hh = boxes[host]
        hosted[host] = hosted.get(host, 0) + 1
        boxes[boundary] = (hx + hw - 18 - 40 * hosted[host], hy + hh - 18, 36, 36)
    width = x - GAP // 2 - LEFT
    return _Geometry(column_x, column_w, lane_y, lane_h, channel_y, width, boxes)


def _size(kind: str) -> tuple[int, int]:
    if kind in SMALL:
        return 36, 36
    if kind in GATEWAYS:
        return 50, 50
    return 100, 80


def _route(graph: _Graph, geo: _Geometry, flow_id: str, source: str, target: str,
           loops: dict[int, int]) -> list[tuple[int, int]]:
    sx, sy, sw, sh = geo.boxes[source]
    tx, ty, tw, th = geo.boxes[target]
    end = (tx, ty + th // 2)
    before_target = geo.column_x[graph.rank[target]] - GAP // 2
    if source in graph.hosts:  # down from the boundary event into the gap under its host's row
        hx, hy, hw, hh = geo.boxes[graph.hosts[source]]
        below = hy + hh + (PITCH - hh) // 2 - 4
        x = sx + sw // 2
        if flow_id in graph.back:
            before_target = min(before_target, geo.column_x[graph.rank[graph.hosts[source]]] - GAP // 2)
        return _tidy([(x, sy + sh), (x, below), (before_target, below), (before_target, end[1]), end])
    start = (sx + sw, sy + sh // 2)
    if flow_id not in graph.back:
        if graph.kinds[source] in GATEWAYS and end[1] != start[1]:
            # a branch leaves its gateway from the top or bottom corner, as BPMN diagrams are drawn,
            # so branches do not share a line; only where that passes no box
            corner = (sx + sw // 2, sy + sh if end[1] > start[1] else sy)
            branch = [corner, (corner[0], end[1]), end]
            if not _blocked(geo, branch, {source, target}):
                return branch
        return _tidy([start, (before_target, start[1]), (before_target, end[1]), end])
    lane = graph.lane_of[source]  # a loop: out to the right, along the channel under the lane, back
    loops[lane] = loops.get(lane, 0) + 1
    channel = geo.channel_y[lane] + CHANNEL * loops[lane]
    after_source = geo.column_x[graph.rank[source]] + geo.column_w[graph.rank[source]] + GAP // 2
    return _tidy([start, (after_source, start[1]), (after_source, channel), (before_target, channel),
                  (before_target, end[1]), end])


def _blocked(geo: _Geometry, points: list[tuple[int, int]], ends: set[str]) -> bool:
    """Whether a right-angled line runs through a box other than its ends."""
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        for node, (x, y, w, h) in geo.boxes.items():
            if node in ends:
                continue
            left, top, right, bottom = x - 4, y - 4, x + w + 4, y + h + 4
            if y1 == y2 and top < y1 < bottom and min(x1, x2) < right and max(x1, x2) > left:
                return True
            if x1 == x2 and left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top:
                return True
    return False


def _tidy(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Without repeated points and without bends that go nowhere."""
    kept: list[tuple[int, int]] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        straight_on = len(kept) >= 2 and (kept[-2][0] == kept[-1][0] == point[0]
                                          or kept[-2][1] == kept[-1][1] == point[1])
        if straight_on:
            kept[-1] = point
            continue
        kept.append(point)
    return kept


def _plane(diagrams: list[etree._Element], container: etree._Element, diagram_id: str) -> None:
    graph = _graph(container)
    _find_loops(graph)
    _rank(graph)
    _rows(graph)
    geo = _geometry(graph)
    diagram = etree.Element(f"{{{BPMNDI}}}BPMNDiagram", id=diagram_id,
                            nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI, "color": COLOR})
    diagrams.append(diagram)
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"{diagram_id}_plane",
                             bpmnElement=container.get("id"))
    for index, (lane_id, _) in enumerate(graph.lanes):
        _shape(plane, lane_id, (LEFT, geo.lane_y[index], geo.width, geo.lane_h[index]),
               isHorizontal="true")
    for node in graph.nodes + list(graph.hosts):
        attrs = {"isExpanded": "false"} if graph.kinds[node] in SUBPROCESSES else {}
        if graph.kinds[node] == "exclusiveGateway":
            attrs["isMarkerVisible"] = "true"
        if graph.kinds[node] in TECHNICAL:
            attrs[f"{{{COLOR}}}background-color"] = "#eeeeee"
            attrs[f"{{{COLOR}}}border-color"] = "#6b6b6b"
        _shape(plane, node, geo.boxes[node], **attrs)
    _data_shapes(plane, container, geo)
    loops: dict[int, int] = {}
    for flow_id, source, target in graph.flows:
        edge = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id)
        for px, py in _route(graph, geo, flow_id, source, target, loops):
            etree.SubElement(edge, f"{{{DI}}}waypoint", x=str(px), y=str(py))
    for node in graph.nodes:  # the content of a collapsed subprocess goes on a plane of its own
        if graph.kinds[node] in SUBPROCESSES:
            sub = container.find(f"*[@id='{node}']")
            if sub is not None:
                _plane(diagrams, sub, f"{diagram_id}_{node}")


def _shape(plane: etree._Element, element_id: str, box: tuple[int, int, int, int], **attrs: str) -> None:
    shape = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id)
    for name, value in attrs.items():
        shape.set(name, value)
    x, y, w, h = box
    etree.SubElement(shape, f"{{{DC}}}Bounds", x=str(x), y=str(y), width=str(w), height=str(h))


def _data_shapes(plane: etree._Element, container: etree._Element, geo: _Geometry) -> None:
    """Data objects and notes in a row under the diagram."""
    data = [c for c in container.iterchildren(etree.Element) if c.get("id") and _local(c) in DATA]
    bottom = (geo.lane_y[-1] + geo.lane_h[-1]) if geo.lane_y else TOP
    for index, node in enumerate(data):
        w, h = (100, 30) if _local(node) == "textAnnotation" else (36, 50)
        _shape(plane, node.get("id"), (LEFT + HEADER + index * 160, bottom + 40, w, h))

"""The BPMN diagram of a process version, for the replay viewer.

bpmn-js draws only what the file's diagram interchange (DI) section places. Models written by
hand or generated have none, so when a process has no shapes we lay it out here: flow nodes in
columns by their distance from the start, branches in rows, edges as elbows. The model itself
is never changed; this is only a picture of it.
"""
from __future__ import annotations

import json
from collections import deque

from lxml import etree
from sqlalchemy import select

from engine.errors import NotFound
from engine.models import versions
from engine.models.safe_xml import parse_safe_xml
from engine.storage.db import deployments

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
SKIP = {"laneSet", "sequenceFlow", "dataObject", "dataObjectReference", "dataStoreReference",
        "textAnnotation", "association", "extensionElements", "documentation", "ioSpecification",
        "property", "dataInputAssociation", "dataOutputAssociation"}
SIZES = {"task": (100, 80), "event": (36, 36), "gateway": (50, 50)}
COL, ROW, LEFT, TOP = 160, 120, 60, 60


def process_xml(conn, version: versions.ProcessVersion) -> bytes:
    """The deployed file that defines the process, with a diagram added when it has none."""
    files = json.loads(conn.execute(select(deployments.c.files).where(
        deployments.c.id == version.deployment_id)).scalar_one())
    for name, text in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        root = parse_safe_xml(text.encode("utf-8")).getroot()
        process = root.find(f"{{{BPMN}}}process[@id='{version.process_id}']")
        if process is not None:
            if not _has_shapes(root, process):
                _lay_out(root, process)
            return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    raise NotFound(f"het model van {version.process_id} zit niet in de uitgerolde bundel")


def _has_shapes(root, process) -> bool:
    for diagram in root.iter(f"{{{BPMNDI}}}BPMNPlane"):
        if diagram.get("bpmnElement") == process.get("id") and len(diagram):
            return True
    return False


def _kind(tag: str) -> str:
    local = etree.QName(tag).localname
    if local.endswith("Event"):
        return "event"
    if local.endswith("Gateway"):
        return "gateway"
    return "task"


def _lay_out(root, process) -> None:
    nodes = {el.get("id"): el for el in process
             if isinstance(el.tag, str) and etree.QName(el.tag).localname not in SKIP and el.get("id")}
    boundary = {i: el for i, el in nodes.items() if etree.QName(el.tag).localname == "boundaryEvent"}
    flows = [(f.get("id"), f.get("sourceRef"), f.get("targetRef"))
             for f in process.findall(f"{{{BPMN}}}sequenceFlow")]
    column = _columns([i for i in nodes if i not in boundary], flows, boundary)
    rows: dict[int, int] = {}
    place: dict[str, tuple[int, int, int, int]] = {}
    for node_id in sorted(column, key=lambda n: (column[n], list(nodes).index(n))):
        col = column[node_id]
        row = rows.get(col, 0)
        rows[col] = row + 1
        width, height = SIZES[_kind(nodes[node_id].tag)]
        cx, cy = LEFT + col * COL + 50, TOP + row * ROW + 40
        place[node_id] = (cx - width // 2, cy - height // 2, width, height)
    for node_id, el in boundary.items():
        host = place.get(el.get("attachedToRef"))
        if host:
            place[node_id] = (host[0] + host[2] - 28, host[1] + host[3] - 18, 36, 36)
    diagram = etree.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", id=f"Diagram_{process.get('id')}")
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"Plane_{process.get('id')}",
                             bpmnElement=process.get("id"))
    for node_id, (x, y, w, h) in place.items():
        shape = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", id=f"{node_id}_di", bpmnElement=node_id)
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=str(x), y=str(y), width=str(w), height=str(h))
    for flow_id, source, target in flows:
        if source in place and target in place:
            edge = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id)
            for x, y in _waypoints(place[source], place[target]):
                etree.SubElement(edge, f"{{{DI}}}waypoint", x=str(x), y=str(y))


def _columns(ids: list[str], flows, boundary: dict) -> dict[str, int]:
    """Columns by breadth-first distance from the start nodes; a node keeps its first column."""
    outgoing: dict[str, list[str]] = {}
    incoming: set[str] = set()
    for _, source, target in flows:
        source = boundary[source].get("attachedToRef") if source in boundary else source
        outgoing.setdefault(source, []).append(target)
        incoming.add(target)
    starts = [i for i in ids if i not in incoming] or ids[:1]
    column = {i: 0 for i in starts}
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        for target in outgoing.get(node, []):
            if target not in column and target not in boundary:
                column[target] = column[node] + 1
                queue.append(target)
    last = max(column.values(), default=0)
    for i in ids:  # anything unreachable goes at the end rather than off the picture
        if i not in column:
            last += 1
            column[i] = last
    return column


def _waypoints(source, target) -> list[tuple[int, int]]:
    sx, sy = source[0] + source[2], source[1] + source[3] // 2
    tx, ty = target[0], target[1] + target[3] // 2
    if tx <= sx:  # a loop back: go under both shapes
        below = max(source[1] + source[3], target[1] + target[3]) + 20
        sx, sy = source[0] + source[2] // 2, source[1] + source[3]
        tx, ty = target[0] + target[2] // 2, target[1] + target[3]
        return [(sx, sy), (sx, below), (tx, below), (tx, ty)]
    if sy == ty:
        return [(sx, sy), (tx, ty)]
    mid = (sx + tx) // 2
    return [(sx, sy), (mid, sy), (mid, ty), (tx, ty)]

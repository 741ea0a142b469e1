"""Shared set-up for the designer tests: the intake bundle, designers and a beheerder, edits."""
from __future__ import annotations

import json

from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from engine.service import CaseEngine
from tests.engine.helpers import model_files
from tests.web.helpers import csrf_token

PASSWORD = "ontwerp-wachtwoord"
GEMEENTE = "ooststellingwerf"
USERS = [
    ("ontwerper", "Femke Smit", ["procesontwerper"]),
    ("ontwerper2", "Bram de Boer", ["procesontwerper"]),
    ("beheer", "Lotte Jansen", ["beheerder"]),
    ("cm", "Carla Casemanager", ["casemanager"]),
]
OLD_F5 = 'spoor == "activering"</bpmn:conditionExpression>'
NEW_F5 = 'spoor == "activering" or trede == 3</bpmn:conditionExpression>'
OLD_F4 = 'spoor == "re-integratiebegeleiding"</bpmn:conditionExpression>'
NEW_F4 = 'spoor == "re-integratiebegeleiding" and trede != 3</bpmn:conditionExpression>'


def bundle_text() -> dict[str, str]:
    files = model_files("intake.bpmn", "evaluatie.bpmn")
    return {name: content.decode("utf-8") for name, content in files.items()}


def edited_bundle() -> dict[str, str]:
    files = bundle_text()
    files["intake.bpmn"] = files["intake.bpmn"].replace(OLD_F4, NEW_F4).replace(OLD_F5, NEW_F5)
    return files


def setup(engine: CaseEngine) -> None:
    engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"), gemeente=GEMEENTE, actor="setup")
    hashed = generate_password_hash(PASSWORD)
    for username, naam, roles in USERS:
        create_user(engine.db, username, PASSWORD, naam, GEMEENTE, roles, password_hash=hashed)


def sign_in(app, username: str):
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    client.csrf = csrf_token(client, "/ontwerp") if username != "cm" else token
    return client


def post_json(client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json",
                       headers={"X-CSRFToken": client.csrf})


def post_form(client, url: str, data: dict | None = None):
    return client.post(url, data={**(data or {}), "csrf_token": client.csrf})


def with_diagram(xml: str, process_id: str = "intake") -> str:
    """The model with a simple left-to-right diagram (BPMNDI) added, so that bpmn-js can draw it.

    The engine's test models have no diagram; a designer's models always do.
    """
    from lxml import etree

    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    bpmndi, dc, di = ("http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                      "http://www.omg.org/spec/DD/20100524/DI")
    root = etree.fromstring(xml.encode("utf-8"))
    process = root.find(f"bpmn:process[@id='{process_id}']", ns)
    skip = ("sequenceFlow", "laneSet")
    nodes = [n for n in process if n.get("id") and etree.QName(n).localname not in skip]
    flows = process.findall("bpmn:sequenceFlow", ns)
    depth = _depths([n.get("id") for n in nodes], [(f.get("sourceRef"), f.get("targetRef")) for f in flows])
    diagram = etree.SubElement(root, f"{{{bpmndi}}}BPMNDiagram", id="Diagram_1")
    plane = etree.SubElement(diagram, f"{{{bpmndi}}}BPMNPlane", id="Plane_1", bpmnElement=process_id)
    boxes: dict[str, tuple[int, int, int, int]] = {}
    row: dict[int, int] = {}
    for node in nodes:
        small = etree.QName(node).localname.endswith(("Event", "Gateway"))
        w, h = (36, 36) if small else (100, 80)
        column = depth[node.get("id")]
        row[column] = row.get(column, -1) + 1
        x, y = 80 + column * 150, 140 + row[column] * 130 - h // 2
        boxes[node.get("id")] = (x, y, w, h)
        shape = etree.SubElement(plane, f"{{{bpmndi}}}BPMNShape", id=f"{node.get('id')}_di",
                                 bpmnElement=node.get("id"))
        etree.SubElement(shape, f"{{{dc}}}Bounds", x=str(x), y=str(y), width=str(w), height=str(h))
    for flow in flows:
        sx, sy, sw, sh = boxes[flow.get("sourceRef")]
        tx, ty, tw, th = boxes[flow.get("targetRef")]
        edge = etree.SubElement(plane, f"{{{bpmndi}}}BPMNEdge", id=f"{flow.get('id')}_di",
                                bpmnElement=flow.get("id"))
        for px, py in [(sx + sw, sy + sh // 2), (tx, ty + th // 2)]:
            etree.SubElement(edge, f"{{{di}}}waypoint", x=str(px), y=str(py))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _depths(ids: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Column of each node: its distance from the first node along the flows (breadth first)."""
    depth = {ids[0]: 0}
    queue = [ids[0]]
    while queue:
        current = queue.pop(0)
        for source, target in edges:
            if source == current and target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    return {i: depth.get(i, 0) for i in ids}

"""Diagrams for the replay viewer: a model without diagram interchange gets a layout of its own."""
from __future__ import annotations

from lxml import etree

from tests.audit.helpers import live_case

BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def test_a_model_without_a_diagram_is_laid_out(engine, signed_in):
    case, _ = live_case(engine)
    response = signed_in("aud").get(f"/audit/zaken/{case.case_number}/diagram/1.bpmn")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = etree.fromstring(response.data)
    process = root.find(f"{BPMN}process")
    shapes = {s.get("bpmnElement"): s for s in root.iter(f"{BPMNDI}BPMNShape")}
    edges = {e.get("bpmnElement") for e in root.iter(f"{BPMNDI}BPMNEdge")}
    assert set(shapes) == {"start", "diagnose", "besluit", "afronden", "end"}
    assert edges == {f.get("id") for f in process.findall(f"{BPMN}sequenceFlow")}
    xs = [float(shapes[i][0].get("x")) for i in ("start", "diagnose", "besluit", "afronden", "end")]
    assert xs == sorted(xs)  # left to right in the order of the flow


def test_an_unknown_instance_is_not_found(engine, signed_in):
    case, _ = live_case(engine)
    assert signed_in("aud").get(f"/audit/zaken/{case.case_number}/diagram/999.bpmn").status_code == 404

"""Deploy-time checks on sequence flows that SpiffWorkflow accepts and then runs differently.

A gateway's default flow is the one taken when no condition holds; SpiffWorkflow ignores a condition
written on it, so the model would not do what it says. A ``default`` that names a flow not leaving the
element can never be taken.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from engine.models.expressions import NSMAP


@dataclass(frozen=True)
class FlowProblem:
    line: int | None
    element_id: str | None
    message: str


def default_flow_problems(root: etree._Element) -> Iterator[FlowProblem]:
    flows = {flow.get("id"): flow for flow in root.iterfind(".//bpmn:sequenceFlow", NSMAP)}
    for element in root.iterfind(".//*[@default]"):
        if etree.QName(element).namespace != NSMAP["bpmn"]:
            continue
        name = f"‘{element.get('name') or element.get('id')}’"
        default = element.get("default")
        flow = flows.get(default)
        if flow is None or flow.get("sourceRef") != element.get("id"):
            yield FlowProblem(element.sourceline, element.get("id"),
                              f"de standaardroute {default} vertrekt niet uit dit element")
            continue
        if flow.find("bpmn:conditionExpression", NSMAP) is not None:
            yield FlowProblem(flow.sourceline, default,
                              f"de standaardroute van {name} heeft een voorwaarde; "
                              "de standaardroute wordt genomen als geen andere voorwaarde geldt: "
                              "haal de voorwaarde weg")

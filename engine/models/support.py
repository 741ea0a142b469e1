"""Structural checks: every element of a process that SpiffWorkflow 3.2 cannot execute.

SpiffWorkflow's parser stops at the first unsupported element of a process and often without a
line number; these checks walk the whole document so a modeller sees every such element at once,
each with its line. They mirror the parser's own rules (``SpiffWorkflow/bpmn/parser``).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from engine.decisions import TredeBpmnParser
from engine.models.expressions import NSMAP, SPIFF_NS
from engine.models.labels import kind_name

_B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"

FLOW_NODES = frozenset({
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
    "complexGateway",
})
_SUPPORTED = frozenset(
    etree.QName(tag).localname
    for tag in {*TredeBpmnParser.PARSER_CLASSES, *TredeBpmnParser.OVERRIDE_PARSER_CLASSES}
)
_SPLITTING = frozenset({
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "startEvent",
})
# SpiffWorkflow names its own start and end specs like this: a flow node with such an id
# silently replaces them and the process runs nothing.
RESERVED_IDS = frozenset({"Start", "End"})
_CONDITIONAL_GATEWAYS = frozenset({"exclusiveGateway", "inclusiveGateway"})
_SUBPROCESSES = frozenset({"subProcess", "transaction"})
# Event definitions SpiffWorkflow reads per event type; any other one is silently ignored by it,
# which would turn e.g. a link or compensation event into a plain event.
_EVENT_DEFINITIONS = {
    "startEvent": {"message", "signal", "timer", "conditional"},
    "endEvent": {"message", "cancel", "error", "escalation", "terminate"},
    "intermediateCatchEvent": {"message", "signal", "timer", "conditional"},
    "intermediateThrowEvent": {"escalation", "message", "signal", "timer"},
    "boundaryEvent": {"cancel", "error", "escalation", "message", "signal", "timer", "conditional"},
    "sendTask": {"message"},
    "receiveTask": {"message"},
}


_NO_STORES = "gegevensopslag (data store) kan de procesmotor niet uitvoeren: haal het element weg"


@dataclass(frozen=True)
class Unsupported:
    line: int | None
    element_id: str | None
    message: str


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _found(element: etree._Element, message: str) -> Unsupported:
    return Unsupported(element.sourceline, element.get("id"), message)


def unsupported_elements(process: etree._Element, process_ids: set[str]) -> Iterator[Unsupported]:
    """Everything in ``process`` (a bpmn:process) that would stop it from running."""
    if process.find("bpmn:startEvent", NSMAP) is None:
        yield _found(process, "het proces heeft geen startgebeurtenis: voeg er een toe")
    yield from _check_container(process, process_ids)
    for store in process.iter(f"{_B}dataStoreReference"):
        yield _found(store, _NO_STORES)


def document_level(root: etree._Element) -> Iterator[Unsupported]:
    for store in root.iterfind(".//bpmn:dataStore", NSMAP):
        yield _found(store, _NO_STORES)


def _check_container(container: etree._Element, process_ids: set[str]) -> Iterator[Unsupported]:
    nodes = [child for child in container if _local(child) in FLOW_NODES]
    flows = [child for child in container if _local(child) == "sequenceFlow"]
    outgoing: dict[str, list[etree._Element]] = {}
    for flow in flows:
        outgoing.setdefault(flow.get("sourceRef", ""), []).append(flow)
    for node in nodes:
        tag = _local(node)
        if tag not in _SUPPORTED:
            yield _found(node, f"{kind_name(tag).lower()} ({tag}) kan de procesmotor niet uitvoeren: "
                               "kies een ander soort element")
            continue
        if node.get("id") in RESERVED_IDS or node.get("id", "").endswith(".EndJoin"):
            yield _found(node, f"de id ‘{node.get('id')}’ is gereserveerd voor de procesmotor: "
                               "geef het element een andere id")
        yield from _check_node(node, tag, outgoing.get(node.get("id", ""), []), process_ids)


def _check_node(
    node: etree._Element, tag: str, out: list[etree._Element], process_ids: set[str]
) -> Iterator[Unsupported]:
    if len(out) > 1 and tag not in _SPLITTING:
        yield _found(node, f"er vertrekken {len(out)} pijlen uit dit element: splits met een gateway")
    if tag in _CONDITIONAL_GATEWAYS and len(out) > 1:
        default = node.get("default")
        for flow in out:
            condition = flow.find("bpmn:conditionExpression", NSMAP)
            if flow.get("id") != default and (condition is None or condition.text is None):
                yield _found(flow, f"deze pijl uit gateway {node.get('id')} heeft geen voorwaarde en is "
                                   "niet de standaardroute: geef hem een voorwaarde of maak hem de "
                                   "standaardroute")
    yield from _check_events(node, tag)
    if tag in _SUBPROCESSES:
        yield from _check_subprocess(node, process_ids)
    elif tag == "adHocSubProcess":
        yield from _check_container(node, process_ids)
    elif tag == "callActivity":
        called = node.get("calledElement")
        if not called:
            yield _found(node, "de aanroepactiviteit roept geen proces aan: kies het proces (calledElement)")
        elif called not in process_ids:
            yield _found(node, f"de aanroepactiviteit roept proces ‘{called}’ aan, maar dat is geen "
                               "uitvoerbaar proces in deze bestanden")
    elif tag == "serviceTask" and node.find(f"bpmn:extensionElements/{{{SPIFF_NS}}}serviceTaskOperator",
                                             NSMAP) is None:
        yield _found(node, "de servicetaak noemt geen service (spiffworkflow:serviceTaskOperator), dus niets "
                           "kan haar uitvoeren")


_EVENT_NAMES = {
    "message": "berichtgebeurtenis", "signal": "signaalgebeurtenis", "timer": "timer",
    "conditional": "voorwaardelijke gebeurtenis", "cancel": "annuleergebeurtenis", "error": "foutgebeurtenis",
    "escalation": "escalatiegebeurtenis", "terminate": "beëindigingsgebeurtenis", "link": "koppelgebeurtenis",
    "compensate": "compensatiegebeurtenis",
}


def _check_events(node: etree._Element, tag: str) -> Iterator[Unsupported]:
    allowed = _EVENT_DEFINITIONS.get(tag)
    for definition in node:
        kind = _local(definition)
        if not kind.endswith("EventDefinition"):
            continue
        name = kind[: -len("EventDefinition")]
        where = definition.sourceline, node.get("id")
        if allowed is None or name not in allowed:
            yield Unsupported(*where, f"een {_EVENT_NAMES.get(name, name)} kan de procesmotor niet uitvoeren "
                                      f"op een {kind_name(tag).lower()}")
        elif name == "timer" and not any(
            definition.find(f"bpmn:{t}", NSMAP) is not None for t in ("timeDate", "timeDuration", "timeCycle")
        ):
            yield Unsupported(*where, "de timer heeft geen datum, duur of cyclus: vul er één in")
        elif name == "conditional" and definition.find("bpmn:condition", NSMAP) is None:
            yield Unsupported(*where, "de voorwaardelijke gebeurtenis heeft geen voorwaarde")


def _check_subprocess(node: etree._Element, process_ids: set[str]) -> Iterator[Unsupported]:
    starts = node.findall("bpmn:startEvent", NSMAP)
    if len(starts) != 1:
        yield _found(node, "een subproces heeft precies één startgebeurtenis nodig, "
                           f"er zijn er {len(starts)}")
    if node.find("bpmn:endEvent", NSMAP) is None:
        yield _found(node, "een subproces heeft een eindgebeurtenis nodig")
    yield from _check_container(node, process_ids)

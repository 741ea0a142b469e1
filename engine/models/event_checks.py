"""Deploy-time checks of what a process waits for (issue 21, item 5).

A process may wait for a timer, a message or a signal: trede records each such wait
(``engine.scheduling.waits``), the scheduler fires the timer and a message or signal finds its case. What
it cannot wait for is refused here, with the element named, so that no case can get stuck:

- a conditional event: nothing would evaluate its condition again after the case reached it;
- an event-based gateway whose branches do not each start with a catching message, timer or
  signal event (or a receive task), or that has fewer than two branches;
- an event-based gateway with more than one timer branch (SpiffWorkflow keeps one due time per
  gateway, so the second timer would fire at the first one's time).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from engine.models.expressions import BPMN_NS, NSMAP

_B = f"{{{BPMN_NS}}}"
_CATCHING = ("startEvent", "intermediateCatchEvent", "boundaryEvent")
_BRANCH_KINDS = {"message": "een bericht", "timer": "een timer", "signal": "een signaal"}


@dataclass(frozen=True)
class WaitProblem:
    line: int | None
    element_id: str | None
    message: str


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _named(element: etree._Element) -> str:
    """The element as a modeller finds it: its name, with its id when they differ."""
    name, ident = element.get("name"), element.get("id") or "?"
    return f"{name!r} ({ident})" if name and name != ident else repr(ident)


def _definitions(event: etree._Element) -> list[str]:
    return [_local(child)[: -len("EventDefinition")] for child in event
            if _local(child).endswith("EventDefinition")]


def wait_problems(root: etree._Element) -> Iterator[WaitProblem]:
    """Every wait in the document that trede could not record, in document order."""
    for tag in _CATCHING:
        for event in root.iter(f"{_B}{tag}"):
            if "conditional" in _definitions(event):
                yield WaitProblem(
                    event.sourceline, event.get("id"),
                    f"voorwaardelijke gebeurtenis {_named(event)}: trede kan niet wachten tot een "
                    "voorwaarde waar wordt (niets toetst haar opnieuw, de zaak zou blijven staan); "
                    "toets de voorwaarde met een exclusieve gateway na de stap die de gegevens "
                    "verandert, of wacht op een bericht of een timer")
    for gateway in root.iter(f"{_B}eventBasedGateway"):
        yield from _gateway_problems(gateway)


def _gateway_problems(gateway: etree._Element) -> Iterator[WaitProblem]:
    container = gateway.getparent()
    if container is None:
        return
    nodes = {child.get("id"): child for child in container if isinstance(child.tag, str)}
    flows = [flow for flow in container.iterfind("bpmn:sequenceFlow", NSMAP)
             if flow.get("sourceRef") == gateway.get("id")]
    where = gateway.sourceline, gateway.get("id")
    if len(flows) < 2:
        yield WaitProblem(*where, f"gebeurtenisgateway {_named(gateway)} heeft {len(flows)} uitgaand pad; "
                                  "een gebeurtenisgateway kiest tussen minstens twee gebeurtenissen")
    timers = []
    for flow in flows:
        target = nodes.get(flow.get("targetRef"))
        kind = _branch_kind(target)
        if kind is None:
            ref = flow.get("targetRef")
            shown = f"{_local(target)} {_named(target)}" if target is not None else repr(ref)
            yield WaitProblem(
                flow.sourceline, flow.get("id"),
                f"pad {flow.get('id')!r} van gebeurtenisgateway {_named(gateway)} leidt naar {shown}: na "
                "een gebeurtenisgateway komt op elk pad een tussenliggende gebeurtenis die wacht op "
                f"{', '.join(_BRANCH_KINDS.values())} (of een ontvangsttaak)")
        elif kind == "timer" and target is not None:
            timers.append(_named(target))
    if len(timers) > 1:
        yield WaitProblem(*where, f"gebeurtenisgateway {_named(gateway)} heeft {len(timers)} timers "
                                  f"({', '.join(timers)}): trede houdt per gateway één vervaltijd bij; "
                                  "houd één timer over (de vroegste termijn)")


def _branch_kind(target: etree._Element | None) -> str | None:
    """What the branch waits for (message, timer, signal), None when it cannot follow the gateway."""
    if target is None:
        return None
    tag = _local(target)
    if tag == "receiveTask":
        return "message"
    if tag != "intermediateCatchEvent":
        return None
    kinds = _definitions(target)
    if len(kinds) == 1 and kinds[0] in _BRANCH_KINDS:
        return kinds[0]
    return None

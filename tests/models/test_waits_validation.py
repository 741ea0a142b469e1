"""What a process may wait for, checked at deploy time (issue 21, item 5).

Every catching event definition SpiffWorkflow can wait on is either recorded as a wait (timer,
message, signal: engine/scheduling/waits.py) or only thrown inside the instance itself (error, escalation,
cancel, none), or refused here with a Dutch message naming the element (conditional events, and
event-based gateways trede could not record).
"""
from __future__ import annotations

import inspect
from pathlib import Path

from SpiffWorkflow.bpmn.specs import event_definitions
from SpiffWorkflow.bpmn.specs.event_definitions.base import EventDefinition

from engine.models.validation import validate_bundle
from engine.scheduling.waits import wait_kind

FIXTURES = Path(__file__).parent.parent / "fixtures"
GATEWAY = (FIXTURES / "bpmn" / "antwoord_of_termijn.bpmn").read_text()


def _problems(text: str, name: str = "m.bpmn"):
    return validate_bundle({name: text.encode()})


def test_the_gateway_model_is_accepted():
    assert _problems(GATEWAY) == []


def test_spiffworkflows_conditional_events_are_refused_with_their_elements():
    path = FIXTURES / "spiffworkflow" / "conditional_event.bpmn"
    problems = validate_bundle({path.name: path.read_bytes()})
    assert [(p.element_id, p.line) for p in problems] == [("event_1", 33), ("event_2", 82)]
    assert all("voorwaardelijke gebeurtenis" in p.message and "exclusieve gateway" in p.message
               for p in problems)


def test_a_gateway_branch_to_a_user_task_is_refused_at_its_flow():
    text = GATEWAY.replace('sourceRef="gw" targetRef="ingetrokken"', 'sourceRef="gw" targetRef="beoordelen"')
    [problem] = [p for p in _problems(text) if p.element_id == "f4"]
    assert "gebeurtenisgateway 'Antwoord of termijn' (gw) leidt naar userTask 'Antwoord beoordelen'" \
        in problem.message.replace("pad 'f4' van ", "")
    assert problem.line == GATEWAY.splitlines().index(
        next(line for line in GATEWAY.splitlines() if 'id="f4"' in line)) + 1


def test_a_gateway_with_two_timers_is_refused():
    text = GATEWAY.replace('<bpmn:signalEventDefinition id="sd" signalRef="S1"/>',
                           '<bpmn:timerEventDefinition id="td2"><bpmn:timeDuration>"P7D"</bpmn:timeDuration>'
                           "</bpmn:timerEventDefinition>")
    [problem] = _problems(text)
    assert problem.element_id == "gw"
    assert "2 timers ('Termijn verstreken' (termijn), 'Ingetrokken' (ingetrokken))" in problem.message


def test_a_gateway_with_one_branch_is_refused():
    text = GATEWAY.replace('<bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="termijn"/>', "").replace(
        '<bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="ingetrokken"/>', "")
    messages = [p.message for p in _problems(text) if p.element_id == "gw"]
    assert any("heeft 1 uitgaand pad" in m for m in messages), messages


def _all_definitions() -> set[type]:
    seen: set[type] = set()
    todo = [EventDefinition]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen


def test_every_spiffworkflow_event_definition_is_a_recorded_wait_internal_or_refused():
    """A new kind of event in a SpiffWorkflow upgrade must be classified here before it can run."""
    recorded = {"TimeDateEventDefinition": "timer", "DurationTimerEventDefinition": "timer",
                "CycleTimerEventDefinition": "timer", "TimerEventDefinition": "timer",
                "MessageEventDefinition": "message", "SignalEventDefinition": "signal"}
    internal = {"NoneEventDefinition", "CancelEventDefinition", "TerminateEventDefinition",
                "ErrorEventDefinition", "EscalationEventDefinition", "CodeEventDefinition",
                "ItemAwareEventDefinition", "SpiffItemAwareEventDefinition",
                "MultipleEventDefinition"}  # multiple: each of its parts counts
    refused = {"ConditionalEventDefinition"}  # engine/models/event_checks.py
    known = set(recorded) | internal | refused
    names = {cls.__name__ for cls in _all_definitions()} | {
        name for name, cls in inspect.getmembers(event_definitions, inspect.isclass)
        if issubclass(cls, EventDefinition) and cls is not EventDefinition}
    assert names - known == set()
    for cls in _all_definitions():
        if cls.__name__ in recorded:
            assert wait_kind(object.__new__(cls)) == recorded[cls.__name__], cls
        else:
            assert wait_kind(object.__new__(cls)) is None, cls

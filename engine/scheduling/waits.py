"""What an instance waits for, read from SpiffWorkflow's event manager: one (kind, name, due) per wait.

Every catching event definition of SpiffWorkflow is either a wait that trede records (a wait row,
so the scheduler fires a timer and a message or signal finds its case) or thrown and caught inside
the instance itself (errors, escalations, cancel, the none event). A conditional event cannot be
waited on: nothing in trede would evaluate its condition again, so validation refuses it
(``engine.models.event_checks``). An event-based gateway waits for all its branches at once: each
branch is a wait of its own, and the first to arrive wins (``FirstWinsEventBasedGateway``).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.defaults import EventBasedGateway
from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.spiff.specs import event_definitions as spiff_events
from SpiffWorkflow.task import Task

# What an instance waits for, one per wait row: (kind, name, due).
WaitKey = tuple[str, str | None, datetime | None]
RECORDED_KINDS = ("timer", "message", "signal")


def wait_kind(definition: Any) -> str | None:
    """``timer``, ``message`` or ``signal`` for a definition trede records; None for one that only
    an event of the instance itself can satisfy (error, escalation, cancel, none)."""
    if isinstance(definition, TimerEventDefinition):
        return "timer"
    if isinstance(definition, MessageEventDefinition):
        return "message"
    if isinstance(definition, SignalEventDefinition):
        return "signal"
    if isinstance(definition, ConditionalEventDefinition):
        # Refused at validation; a model deployed before that would wait here for ever.
        return None
    return None


def _definitions(task: Task) -> Iterator[Any]:
    definition = task.task_spec.event_definition
    if isinstance(definition, MultipleEventDefinition):  # an event-based gateway, or a multiple event
        yield from definition.event_definitions
    else:
        yield definition


def wait_keys(workflow: BpmnWorkflow) -> tuple[WaitKey, ...]:
    """What the instance waits for, as (kind, name, due) triples: the content of its wait rows."""
    keys: list[WaitKey] = []
    for task in list(workflow.event_manager.tasks.values()):
        for definition in _definitions(task):
            kind = wait_kind(definition)
            if kind is None:
                continue
            pending = definition.details(task)
            if kind == "timer":
                keys.append(("timer", pending.name or pending.event_type, _parse_due(pending.value)))
            else:
                keys.append((kind, pending.name, None))
    return tuple(keys)


def delivered_event(event_kind: str, name: str, payload: Any) -> BpmnEvent:
    """The event a recorded delivery hands to the workflow: ``signal_delivered`` a signal, else a
    message (SpiffWorkflow refuses its base classes here: the spiff ones are needed)."""
    if event_kind == "signal_delivered":
        return BpmnEvent(spiff_events.SignalEventDefinition(name), payload)
    return BpmnEvent(spiff_events.MessageEventDefinition(name), payload)


class FirstWinsEventBasedGateway(EventBasedGateway):  # type: ignore[misc]  # untyped SpiffWorkflow base
    """An event-based gateway that follows exactly one branch: the first event that arrived.

    SpiffWorkflow's gateway follows every branch whose event it has seen when it runs; a message
    delivered after the timer fell due (before the scheduler fired it) would then start both the
    message and the timer branch. Trede fires due timers before it delivers a message
    (``engine.scheduling.due_work``), so the events the gateway sees are in the order they arrived.
    """

    def _run_hook(self, my_task: Task) -> bool:
        seen = my_task.internal_data.get("seen_events", [])
        my_task.internal_data["seen_events"] = seen[:1]
        result: bool = super()._run_hook(my_task)
        return result


def _parse_due(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None

"""The data behind the visual replay: every step with the diagram elements it ran and its data."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from web.audit.history import CaseHistory, Step
from web.audit.plain import plain, show
from web.audit.service import local


def playback(history: CaseHistory, diagram_url: Callable[[int], str]) -> dict[str, Any]:
    """JSON for static/audit/replay.js; ``diagram_url(instance_id)`` gives an instance's BPMN file."""
    return {
        "instances": [{"id": i.id, "process_id": i.process_id, "version": i.version,
                       "diagram": diagram_url(i.id)} for i in history.instances],
        "steps": [_step(s) for s in history.steps],
    }


def _step(step: Step) -> dict[str, Any]:
    return {
        "seq": step.seq,
        "kind": step.kind,
        "label": step.label,
        "at": step.at.isoformat(),
        "at_local": local(step.at),
        "actor": step.actor,
        "trigger": _trigger(step),
        "instance_id": step.instance_id,
        "model": step.model_version,
        "task_name": step.task_name,
        "elements": step.elements,
        "withdrawn": step.withdrawn,
        "element_names": step.element_names,
        "submitted": plain(step.submitted),
        "changes": [{"key": c.key, "kind": c.kind, "before": show(c.before), "after": show(c.after)}
                    for c in step.changes],
        "decisions": [{"name": d.name, "rule": show(d.rule), "version": show(d.version),
                       "inputs": plain(d.inputs), "outputs": plain(d.outputs)} for d in step.decisions],
        "problem": step.problem,
    }


def _trigger(step: Step) -> str:
    """Who or what set the step off, in words."""
    if step.kind == "timer_fired":
        return "de klok: een termijn verliep"
    if step.kind == "message_delivered":
        return f"een bericht, afgeleverd door {step.actor}"
    if step.kind == "signal_delivered":
        return f"een signaal, afgeleverd door {step.actor}"
    if step.actor in ("system", "timer"):
        return "trede zelf"
    return step.actor

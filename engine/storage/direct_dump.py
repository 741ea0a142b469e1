"""A workflow's state as a dict, built directly: the dict SpiffWorkflow's registry builds, faster.

Every step stores its workflow's state text, and ``trede verify`` serialises the replayed state
after every step to compare its hash (issue 16 item 5: a fifth of the replay's time went into
SpiffWorkflow's generic registry: a partial, a lookup and a ``dict.update`` per object). This
builds the same dict in the same key order for the shapes trede runs: ``Task`` objects with
SpiffWorkflow's delta converter, ``BpmnSubWorkflow`` subprocesses, dict data. Anything else
returns None and the caller takes the registry's path; so does an installation whose registry is
configured differently. ``state.CHECK_DIRECT`` (set by the test suite) builds both and
fails on any difference, so every step the suite takes proves the two equal.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import ModuleType
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    TaskConverter,
)
from SpiffWorkflow.bpmn.serializer.helpers.registry import DefaultRegistry
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.task import Task


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """As the registry's ``clean``: callables and modules are not state."""
    return {k: v for k, v in data.items() if not callable(v) and not isinstance(v, ModuleType)}


class _Strings:
    """str() of task ids, each computed once per dump (an id appears as task, parent and child)."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[UUID, str] = {}

    def __call__(self, uid: UUID) -> str:
        text = self.seen.get(uid)
        if text is None:
            text = self.seen[uid] = str(uid)
        return text


def _task(task: Task, tasks: dict[UUID, Task], s: _Strings) -> dict[str, Any] | None:
    """TaskConverter.to_dict plus its typename: the full data at the root, a delta below it."""
    internal = task.internal_data
    if type(task) is not Task or type(internal) is not dict:
        return None
    parent_id = task._parent
    parent = tasks.get(parent_id)  # as Task.parent: an id not in the workflow counts as no parent
    mine = task.data
    if parent is None:
        data, delta = mine, {}
    else:
        theirs = parent.data
        data = {}
        delta = {"updates": {k: mine[k] for k in mine if k not in theirs or mine[k] != theirs[k]},
                 "deletions": [k for k in theirs if k not in mine]}
    return {"id": s(task.id), "parent": s(parent_id) if parent is not None else None,
            "children": [s(child) for child in task._children],
            "last_state_change": task.last_state_change, "state": task._state,
            "task_spec": task.task_spec.name, "triggered": task.triggered,
            "internal_data": _clean(internal), "data": data, "delta": delta, "typename": "Task"}


def _workflow(workflow: Any, s: _Strings) -> dict[str, Any] | None:
    """WorkflowConverter.to_dict: the workflow's data (cleaned twice, as the registry does) and tasks."""
    if type(workflow.data) is not dict:
        return None
    tasks = workflow.tasks
    converted: dict[str, Any] = {}
    for uid, task in tasks.items():
        one = _task(task, tasks, s)
        if one is None:
            return None
        converted[s(uid)] = one
    last = workflow.last_task
    return {"data": _clean(_clean(workflow.data)), "correlations": workflow.correlations,
            "last_task": s(last.id) if last is not None else None, "success": workflow.success,
            "completed": workflow.completed, "tasks": converted, "root": s(workflow.task_tree.id)}


def workflow_dict(workflow: BpmnWorkflow) -> dict[str, Any] | None:
    """The registry's dict of ``workflow`` (encoder mode), or None where this cannot vouch for it."""
    s = _Strings()
    top = _workflow(workflow, s)
    if top is None:
        return None
    subprocesses: dict[str, Any] = {}
    for uid, sub in workflow.subprocesses.items():
        one = _workflow(sub, s) if type(sub) is BpmnSubWorkflow else None
        if one is None:
            return None
        one["parent_task_id"] = str(sub.parent_task_id)
        one["spec"] = sub.spec.name
        one["typename"] = "BpmnSubWorkflow"
        subprocesses[str(uid)] = one
    top["subprocesses"] = subprocesses
    top["bpmn_events"] = workflow.bpmn_events  # the registry leaves a list to the JSON encoder too
    top["typename"] = "BpmnWorkflow"
    return top


def _converter_of(registry: DefaultRegistry, cls: type) -> Any:
    to_dict = registry.convert_to_dict.get(registry.typenames.get(cls, ""))
    if not isinstance(to_dict, partial) or len(to_dict.args) != 2:
        return None
    typename, method = to_dict.args
    return getattr(method, "__self__", None) if typename == cls.__name__ else None


def usable_with(registry: DefaultRegistry, workflow_converter: type) -> Callable[[BpmnWorkflow], Any] | None:
    """``workflow_dict`` when ``registry`` converts exactly as it assumes, else None."""
    task = _converter_of(registry, Task)
    sub = _converter_of(registry, BpmnSubWorkflow)
    top = _converter_of(registry, BpmnWorkflow)
    if (type(task) is TaskConverter and type(sub) is BpmnSubWorkflowConverter
            and type(top) is workflow_converter and type(registry).clean is DefaultRegistry.clean
            and type(registry)._convert_for_encoder is DefaultRegistry._convert_for_encoder):
        return workflow_dict
    return None

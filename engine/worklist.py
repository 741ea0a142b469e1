"""Rows that queries read instead of workflow state: ready user tasks and what an instance waits for.

Kept in step with the instance at the end of every step, in the same transaction as its new
state, so the worklist can never disagree with the workflow. A step usually finishes one task and
readies another: only the difference is written, so claims on untouched rows stay as they are.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, delete, select
from sqlalchemy.engine import Connection

from engine.assignment import assignee, routed_lane
from engine.scheduling import streefdatum
from engine.scheduling.waits import WaitKey, wait_keys
from engine.storage import step_writes
from engine.storage.db import waits, work_items

# Built once: constructing SQLAlchemy statements costs more than running them on SQLite.
_DELETE_ITEMS = delete(work_items).where(work_items.c.task_id.in_(bindparam("ids", expanding=True)))
_PG_DELETE_ITEMS = "DELETE FROM work_items WHERE task_id = ANY(%(ids)s)"  # the same, for psycopg
_INSERT_ITEM = work_items.insert()
_DELETE_WAITS = delete(waits).where(waits.c.instance_id == bindparam("iid"))



def ready_user_tasks(workflow: BpmnWorkflow) -> list[Task]:
    tasks: list[Task] = workflow.get_tasks(state=TaskState.READY, manual=True)
    return tasks


def ready_task_ids(workflow: BpmnWorkflow) -> frozenset[str]:
    return frozenset(str(task.id) for task in ready_user_tasks(workflow))


def task_properties(task: Task) -> dict[str, Any]:
    extensions = getattr(task.task_spec, "extensions", None) or {}
    return dict(extensions.get("properties", {}) or {})


def sync_work_items(conn: Connection, workflow: BpmnWorkflow, before: frozenset[str] | None, *,
                    instance_id: int, case_id: int, gemeente: str, process_id: str, now: datetime) -> None:
    """Write the difference between the ready tasks before and after the step."""
    if before is None:
        rebuild_work_items(conn, workflow, instance_id=instance_id, case_id=case_id, gemeente=gemeente,
                           process_id=process_id, now=now)
        return
    step_writes.run(conn, work_item_writes(workflow, before, instance_id=instance_id, case_id=case_id,
                                           gemeente=gemeente, process_id=process_id, now=now))


def work_item_writes(workflow: BpmnWorkflow, before: frozenset[str], *, instance_id: int, case_id: int,
                     gemeente: str, process_id: str, now: datetime) -> list[step_writes.Write]:
    """The difference between the ready tasks before and after the step, as writes to send."""
    ready = {str(task.id): task for task in ready_user_tasks(workflow)}
    writes = []
    gone = before - ready.keys()
    if gone:
        writes.append(step_writes.Write(_DELETE_ITEMS, {"ids": sorted(gone)}, pg=_PG_DELETE_ITEMS))
    new = [_row(task, instance_id, case_id, gemeente, process_id, now)
           for task_id, task in ready.items() if task_id not in before]
    if new:
        writes.append(step_writes.insert(work_items, new))
    return writes


def sync_waits(conn: Connection, workflow: BpmnWorkflow, before: tuple[WaitKey, ...] | None, *,
               instance_id: int, case_id: int) -> None:
    step_writes.run(conn, wait_writes(workflow, before, instance_id=instance_id, case_id=case_id))


def wait_writes(workflow: BpmnWorkflow, before: tuple[WaitKey, ...] | None, *, instance_id: int,
                case_id: int) -> list[step_writes.Write]:
    """Replace the instance's wait rows when what it waits for changed (``before`` None: always)."""
    after = wait_keys(workflow)
    if before is not None and after == before:
        return []
    writes = []
    if before is None or before:
        writes.append(step_writes.Write(_DELETE_WAITS, {"iid": instance_id}))
    if after:
        writes.append(step_writes.insert(waits, [dict(instance_id=instance_id, case_id=case_id, kind=kind,
                                                      name=name, due_at=due) for kind, name, due in after]))
    return writes


def rebuild_work_items(conn: Connection, workflow: BpmnWorkflow, *, instance_id: int, case_id: int,
                       gemeente: str, process_id: str, now: datetime) -> None:
    """Replace the instance's rows entirely (after a migration), keeping claims and creation times."""
    old = {r.task_id: r for r in conn.execute(
        select(work_items.c.task_id, work_items.c.claimed_by, work_items.c.claimed_at,
               work_items.c.created_at).where(work_items.c.instance_id == instance_id))}
    conn.execute(delete(work_items).where(work_items.c.instance_id == instance_id))
    rows = []
    for task in ready_user_tasks(workflow):
        row = _row(task, instance_id, case_id, gemeente, process_id, now)
        prev = old.get(row["task_id"])
        if prev is not None:  # the task stays open: its streefdatum still counts from when it opened
            row.update(claimed_by=prev.claimed_by, claimed_at=prev.claimed_at, created_at=prev.created_at,
                       due_at=streefdatum.due_at(task_properties(task).get(streefdatum.PROPERTY),
                                                 prev.created_at))
        rows.append(row)
    if rows:
        conn.execute(_INSERT_ITEM, rows)


def rebuild_waits(conn: Connection, workflow: BpmnWorkflow, *, instance_id: int, case_id: int) -> None:
    sync_waits(conn, workflow, None, instance_id=instance_id, case_id=case_id)


def _row(task: Task, instance_id: int, case_id: int, gemeente: str, process_id: str,
         now: datetime) -> dict[str, Any]:
    spec = task.task_spec
    props = task_properties(task)
    model_lane = getattr(spec, "lane", None)
    lane = routed_lane(model_lane, process_id, task.data)  # engine/assignment.py
    # the property ``assignee`` names the person of the model's lane; a routed lane's task waits in
    # its new lane for anyone with that role
    assigned = assignee(props, task.data) if lane == model_lane else None
    return dict(task_id=str(task.id), instance_id=instance_id, case_id=case_id, gemeente=gemeente,
                process_id=process_id, task_name=spec.name, title=spec.bpmn_name or spec.name,
                lane=lane, form=json.dumps(props) if props else None,
                claimed_by=assigned, claimed_at=now if assigned else None, created_at=now,
                due_at=streefdatum.due_at(props.get(streefdatum.PROPERTY), now))


def assigned_to(task: Task) -> str | None:
    """Who a ready user task is assigned to when it becomes ready (None: its lane's pool); as ``_row``."""
    model_lane = getattr(task.task_spec, "lane", None)
    process_id = task.workflow.top_workflow.spec.name
    if routed_lane(model_lane, process_id, task.data) != model_lane:
        return None
    return assignee(task_properties(task), task.data)

"""Rows that queries read instead of workflow state: ready user tasks and what an instance waits for.

Rebuilt for an instance at the end of every step, in the same transaction as its new state, so
the worklist can never disagree with the workflow. Claims survive the rebuild.
"""
from __future__ import annotations

import json
from datetime import datetime

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from engine.db import waits, work_items


def ready_user_tasks(workflow: BpmnWorkflow) -> list:
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def task_properties(task) -> dict:
    extensions = getattr(task.task_spec, "extensions", None) or {}
    return dict(extensions.get("properties", {}) or {})


def rebuild_work_items(conn: Connection, workflow: BpmnWorkflow, *, instance_id: int, case_id: int,
                       gemeente: str, process_id: str, now: datetime) -> None:
    old = {r.task_id: r for r in conn.execute(
        select(work_items.c.task_id, work_items.c.claimed_by, work_items.c.claimed_at,
               work_items.c.created_at).where(work_items.c.instance_id == instance_id))}
    conn.execute(delete(work_items).where(work_items.c.instance_id == instance_id))
    rows = []
    for task in ready_user_tasks(workflow):
        task_id = str(task.id)
        prev = old.get(task_id)
        spec = task.task_spec
        props = task_properties(task)
        rows.append(dict(
            task_id=task_id, instance_id=instance_id, case_id=case_id, gemeente=gemeente,
            process_id=process_id, task_name=spec.name, title=spec.bpmn_name or spec.name,
            lane=getattr(spec, "lane", None), form=json.dumps(props) if props else None,
            claimed_by=prev.claimed_by if prev else None, claimed_at=prev.claimed_at if prev else None,
            created_at=prev.created_at if prev else now, due_at=None,
        ))
    if rows:
        conn.execute(work_items.insert(), rows)


def rebuild_waits(conn: Connection, workflow: BpmnWorkflow, *, instance_id: int, case_id: int) -> None:
    conn.execute(delete(waits).where(waits.c.instance_id == instance_id))
    rows = []
    for pending in workflow.waiting_events():
        if "Timer" in pending.event_type:
            due = _parse_due(pending.value)
            rows.append(dict(instance_id=instance_id, case_id=case_id, kind="timer",
                             name=pending.name or pending.event_type, due_at=due))
        elif "Message" in pending.event_type:
            rows.append(dict(instance_id=instance_id, case_id=case_id, kind="message",
                             name=pending.name, due_at=None))
    if rows:
        conn.execute(waits.insert(), rows)


def _parse_due(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None

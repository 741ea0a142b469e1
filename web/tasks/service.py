"""Task service functions: find a task within the user's gemeente, drafts, submit a form.

A task outside the user's gemeente is reported exactly like a task that does not exist, so a URL
reveals nothing about other gemeenten.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from casework.tables import task_drafts
from engine.db import cases, clients, events, read_only, utcnow, work_items
from engine.errors import ConflictError, NotFound
from engine.service import CaseEngine
from web.accounts.roles import may_work_in_lane
from web.accounts.service import User
from web.accounts.visibility import may_see_case
from web.forms import Errors, validate_submission
from web.tasks.decision import check_decision, proposal_for


class TaskGone(Exception):
    """The task was completed already (by the person named in the message)."""

    def __init__(self, by: str, case_id: int) -> None:
        super().__init__(f"Deze taak is al afgerond door {by}.")
        self.by = by
        self.case_id = case_id


@dataclass(frozen=True)
class OpenTask:
    task_id: str
    title: str
    process_id: str
    lane: str | None
    claimed_by: str | None
    case_id: int
    case_number: str
    case_version: int
    client_id: int
    client_naam: str
    bsn: str


def find_task(db: Engine, user: User, task_id: str) -> OpenTask:
    """The open task, or TaskGone when it was completed, or NotFound (also for another gemeente)."""
    with read_only(db).connect() as conn:
        row = conn.execute(
            select(work_items, cases.c.case_number, cases.c.version.label("case_version"),
                   clients.c.id.label("client_id"), clients.c.naam, clients.c.bsn)
            .join(cases, cases.c.id == work_items.c.case_id)
            .join(clients, clients.c.id == cases.c.client_id)
            .where(work_items.c.task_id == task_id, work_items.c.gemeente == user.gemeente)
        ).mappings().first()
        if row is None:
            done = conn.execute(
                select(events.c.actor, events.c.case_id).join(cases, cases.c.id == events.c.case_id)
                .where(events.c.task_id == task_id, events.c.kind == "task_completed",
                       cases.c.gemeente == user.gemeente).limit(1)).first()
            if done is not None and may_see_case(conn, user, done.case_id):
                raise TaskGone(done.actor, done.case_id)
            raise NotFound("taak niet gevonden")
        if not may_see_case(conn, user, row["case_id"]):
            raise NotFound("taak niet gevonden")  # another team's case, in a gemeente that chose so
    return OpenTask(row["task_id"], row["title"], row["process_id"], row["lane"], row["claimed_by"],
                    row["case_id"], row["case_number"], row["case_version"], row["client_id"],
                    row["naam"], row["bsn"])


def load_draft(db: Engine, task_id: str, username: str) -> dict[str, Any] | None:
    with read_only(db).connect() as conn:
        text = conn.execute(select(task_drafts.c.data).where(
            task_drafts.c.task_id == task_id, task_drafts.c.username == username)).scalar()
    return json.loads(text) if text else None


def save_draft(db: Engine, task_id: str, username: str, raw: dict[str, Any]) -> None:
    """Keep what was typed, unvalidated: a draft may be half finished."""
    with db.begin() as conn:
        conn.execute(delete(task_drafts).where(task_drafts.c.task_id == task_id,
                                               task_drafts.c.username == username))
        conn.execute(task_drafts.insert().values(task_id=task_id, username=username,
                                                 data=json.dumps(raw), saved_at=utcnow()))


def _drop_drafts(db: Engine, task_id: str) -> None:
    with db.begin() as conn:
        conn.execute(delete(task_drafts).where(task_drafts.c.task_id == task_id))


def submit(engine: CaseEngine, user: User, task: OpenTask, schema: dict | None, raw: dict[str, Any],
           case_version: int | None) -> Errors:
    """Validate and complete; returns field errors (nothing written), or {} when the task is done.

    Raises TaskGone when someone else completed it first, ConflictError when the case changed
    since the form was opened.
    """
    data: dict[str, Any] = {}
    errors: Errors = {}
    if schema:
        data, errors = validate_submission(schema, raw)
        beslissing = schema.get("x-beslissing")
        if beslissing and not errors:
            errors = check_decision(schema, beslissing, proposal_for(engine, task.task_id, beslissing), data)
    if errors:
        return errors
    try:
        engine.complete(task.task_id, data, actor=user.username, expected_version=case_version)
    except ConflictError as exc:
        done = _completed_by(engine.db, task.task_id)
        if done:
            raise TaskGone(done, task.case_id) from exc
        raise
    _drop_drafts(engine.db, task.task_id)
    return {}


def _completed_by(db: Engine, task_id: str) -> str | None:
    with read_only(db).connect() as conn:
        return conn.execute(select(events.c.actor).where(
            events.c.task_id == task_id, events.c.kind == "task_completed").limit(1)).scalar()


def next_task_in_case(engine: CaseEngine, user: User, case_id: int) -> str | None:
    """After completing: the next open task in the same case this user may pick up, if any."""
    for item in engine.ready_tasks(gemeente=user.gemeente, case_id=case_id):
        if item.claimed_by in (None, user.username) and may_work_in_lane(user.roles, item.lane):
            return item.task_id
    return None


def may_work(user: User, task: OpenTask) -> bool:
    """Only a user with the lane's role (any user for a task without a lane) works on a task."""
    if task.claimed_by not in (None, user.username):
        return False
    return may_work_in_lane(user.roles, task.lane) or user.has("teamleider")

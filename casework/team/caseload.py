"""Whose caseload a case is in (issue 18 item 5): the casemanager the case's data names, followed
through handovers, and whoever holds its open tasks.

The models name the casemanager in their data (a form field ``casemanager``, the task property
``assignee``, engine/assignment.py); the latest value the case's history records counts, and a
handover or a change of casemanager (``casemanager_overgedragen``, casework/team/successors.py)
carries it on. A case waiting on a timer therefore still belongs to someone: deactivating that
person would leave the task the timer makes to a name nobody signs in as.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.team.successors import successors
from engine.storage.db import cases, events, work_items
from engine.storage.state import data_from_json

VARIABLE = "casemanager"


@dataclass
class Caseload:
    tasks: int = 0  # open tasks the person holds
    case_ids: list[int] = field(default_factory=list)  # open cases named theirs or with their tasks
    clients: int = 0  # the clients of those cases


def named_in(payload: Any) -> str | None:
    """The casemanager a recorded start or completion names (None: it names none)."""
    data = payload.get("data") if isinstance(payload, dict) else None
    value = data.get(VARIABLE) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def casemanagers(conn: Connection, case_ids: list[int]) -> dict[int, str]:
    """case id -> its casemanager: the latest one its history names, followed through handovers."""
    if not case_ids:
        return {}
    latest: dict[int, str] = {}
    rows = conn.execute(select(events.c.case_id, events.c.payload).where(
        events.c.case_id.in_(case_ids), events.c.kind.in_(("instance_started", "task_completed")),
        events.c.payload.like(f'%"{VARIABLE}"%')).order_by(events.c.case_id, events.c.seq))
    for case_id, payload in rows:
        named = named_in(data_from_json(payload) if isinstance(payload, str) else payload)
        if named:
            latest[case_id] = named
    found = {}
    for case_id, named in latest.items():
        moved = successors(conn, case_id).get(named)
        found[case_id] = moved[0] if moved else named
    return found


def caseload(conn: Connection, gemeente: str, username: str) -> Caseload:
    """The person's open tasks, and the open cases (and their clients) that are theirs."""
    open_ids = list(conn.execute(select(cases.c.id).where(cases.c.gemeente == gemeente,
                                                          cases.c.status == "open")).scalars())
    held = conn.execute(select(work_items.c.case_id).where(
        work_items.c.gemeente == gemeente, work_items.c.claimed_by == username)).scalars().all()
    named = {case_id for case_id, who in casemanagers(conn, open_ids).items() if who == username}
    mine = sorted(named | set(held))
    clients = set(conn.execute(select(cases.c.client_id).where(cases.c.id.in_(mine),
                                                               cases.c.client_id.is_not(None))).scalars())
    return Caseload(len(held), mine, len(clients))

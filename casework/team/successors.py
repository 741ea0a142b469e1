"""Who a case's future tasks go to after a caseload handover (issue 18 item 5).

A handover records the fact ``casemanager_overgedragen`` {van, naar} in the case's hash-chained
history (the engine's record of the case, shown in the dossier, never replayed). The models keep
naming the old casemanager in their data (task property ``assignee``), so a task that a step makes
ready for someone handed over is given on to their successor in the same transaction, recorded as a
reassignment by whoever did the handover. Drafts always travel with their task. The same happens
after a step nobody took (a timer, a message, a recurring start): the engine runs the hook registered
below in that step's transaction (``engine.unit_of_work.after_background_step``).
"""
from __future__ import annotations

import json

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from casework.tables import task_drafts
from engine.storage.db import events, work_items
from engine.unit_of_work import CaseWork, after_background_step

HANDOVER_FACT = "casemanager_overgedragen"


def successors(conn: Connection, case_id: int) -> dict[str, tuple[str, str]]:
    """From whom to whom this case's work goes (followed to the last handover): van -> (naar, by)."""
    rows = conn.execute(select(events.c.actor, events.c.payload).where(
        events.c.case_id == case_id, events.c.kind == HANDOVER_FACT).order_by(events.c.seq)).all()
    direct: dict[str, tuple[str, str]] = {}
    for by, payload in rows:
        fact = json.loads(payload) if isinstance(payload, str) else payload
        direct[fact["van"]] = (fact["naar"], by)
        direct.pop(fact["naar"], None)  # handed back: their own work is theirs again
    resolved = {}
    for van in direct:
        naar, by, seen = direct[van][0], direct[van][1], {van}
        while naar in direct and naar not in seen:  # Sanne -> Mohamed -> Kees: to Kees
            seen.add(naar)
            naar, by = direct[naar]
        resolved[van] = (naar, by)
    return resolved


def route_new_tasks(c: CaseWork) -> None:
    """After a step: open tasks of this case held by someone handed over go to their successor."""
    found = successors(c.conn, c.id)
    if not found:
        return
    held = c.conn.execute(select(work_items.c.task_id, work_items.c.claimed_by).where(
        work_items.c.case_id == c.id, work_items.c.claimed_by.in_(list(found)))).all()
    for task_id, holder in held:
        naar, by = found[holder]
        c.reassign(task_id, naar, by)
        move_drafts(c.conn, task_id, holder, naar)


def move_drafts(conn: Connection, task_id: str, van: str | None, naar: str) -> None:
    """A saved draft follows its task to the new holder (it replaces one they may have had)."""
    if van is None or van == naar:
        return
    mine = select(task_drafts.c.id).where(task_drafts.c.task_id == task_id, task_drafts.c.username == van)
    if conn.execute(mine).first() is None:
        return
    conn.execute(delete(task_drafts).where(task_drafts.c.task_id == task_id, task_drafts.c.username == naar))
    conn.execute(update(task_drafts).where(task_drafts.c.task_id == task_id, task_drafts.c.username == van)
                 .values(username=naar))


after_background_step(route_new_tasks)

"""Claim, release and reassign tasks (service functions behind the worklist buttons)."""
from __future__ import annotations

from engine.db import case_notes, utcnow
from engine.service import CaseEngine
from web.accounts.service import User, find_user
from web.tasks.service import OpenTask


class NotAllowed(Exception):
    pass


def claim(engine: CaseEngine, user: User, task: OpenTask) -> None:
    engine.claim(task.task_id, user.username)


def release(engine: CaseEngine, user: User, task: OpenTask) -> None:
    engine.unclaim(task.task_id, user.username)


def reassign(engine: CaseEngine, lead: User, task: OpenTask, to_username: str) -> None:
    """A teamleider gives a task to someone of the same gemeente.

    The engine has no reassign step yet: this releases on behalf of the current holder and claims
    for the new one (two events), and records in a case note who actually did it.
    """
    if not lead.has("teamleider"):
        raise NotAllowed("alleen een teamleider kan taken toewijzen")
    target = find_user(engine.db, to_username)
    if target is None or target.gemeente != lead.gemeente:
        raise NotAllowed("deze medewerker bestaat niet in uw gemeente")
    if task.claimed_by == target.username:
        return
    if task.claimed_by:
        engine.unclaim(task.task_id, task.claimed_by)
    engine.claim(task.task_id, target.username)
    with engine.db.begin() as conn:
        conn.execute(case_notes.insert().values(
            case_id=task.case_id, author=lead.username, created_at=utcnow(),
            text=f"Taak ‘{task.title}’ toegewezen aan {target.naam} ({target.username})"
                 + (f", was van {task.claimed_by}." if task.claimed_by else ".")))

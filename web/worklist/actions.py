"""Claim, release and reassign tasks (service functions behind the worklist buttons)."""
from __future__ import annotations

from engine.service import CaseEngine
from web.accounts.service import User, find_user
from web.tasks.service import OpenTask, may_work


class NotAllowed(Exception):
    pass


def claim(engine: CaseEngine, user: User, task: OpenTask) -> None:
    if not may_work(user, task):
        raise NotAllowed("deze taak hoort bij een andere rol")
    engine.claim(task.task_id, user.username)


def release(engine: CaseEngine, user: User, task: OpenTask) -> None:
    engine.unclaim(task.task_id, user.username)


def reassign(engine: CaseEngine, lead: User, task: OpenTask, to_username: str) -> None:
    """A teamleider gives a task to someone of the same gemeente.

    One engine step, recorded in the case history with the teamleider as actor.
    """
    if not lead.has("teamleider"):
        raise NotAllowed("alleen een teamleider kan taken toewijzen")
    target = find_user(engine.db, to_username)
    if target is None or target.gemeente != lead.gemeente:
        raise NotAllowed("deze medewerker bestaat niet in uw gemeente")
    if task.claimed_by == target.username:
        return
    engine.reassign(task.task_id, target.username, by=lead.username)

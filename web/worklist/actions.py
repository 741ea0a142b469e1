"""Claim, release and reassign tasks (service functions behind the worklist buttons)."""
from __future__ import annotations

from datetime import date

from casework.people import find_user
from casework.roles import may_work_in_lane
from engine.service import CaseEngine
from web.accounts.service import User
from web.tasks.service import OpenTask, may_work
from web.team.absence import absent_now, absent_teammates


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


def take_over(engine: CaseEngine, user: User, task: OpenTask, on: date | None = None) -> None:
    """Take over a task held by an absent colleague: their vervanger, a teammate or a teamleider.

    One engine step (a reassignment to oneself), so the case history names who took it over.
    """
    with engine.reader.connect() as conn:
        away = absent_now(conn, user.gemeente, on)
        mates = absent_teammates(conn, user, on)
    holder = task.claimed_by
    if holder is None or holder not in away:
        raise NotAllowed("deze taak is niet van een afwezige collega")
    if not (away[holder] == user.username or holder in mates or user.has("teamleider")):
        raise NotAllowed("u bent geen vervanger of teamgenoot van de afwezige collega")
    if not (may_work_in_lane(user.roles, task.lane) or user.has("teamleider")):
        raise NotAllowed("deze taak hoort bij een andere rol")
    engine.reassign(task.task_id, user.username, by=user.username)

"""Claim, release and reassign tasks (service functions behind the worklist buttons)."""
from __future__ import annotations

from datetime import date

from casework.accounts.service import User
from casework.errors import NotAllowed
from casework.roles import may_work_in_lane
from casework.tasks import OpenTask
from casework.team.absence import absent_now, absent_teammates
from engine.service import CaseEngine


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

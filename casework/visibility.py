"""Which cases a user may see within their gemeente (issue 8.1).

By default every case worker of a gemeente sees all its cases. A gemeente can choose "zaken alleen
zichtbaar voor het eigen team" (beheer screen): then a case is visible to the team it belongs to
(case_teams: the team of the case worker who started it at intake), and also to whoever holds one
of its tasks (a task handed over or reassigned across teams must stay workable) or stands in for
that person. A case with no team (started by another system through the API, the public offer
form or the demo loader) stays visible to the whole gemeente, so nothing becomes nobody's.
Auditors read every case of their gemeente; a user without a team sees only cases without one.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from casework.people import User, covered_by, team_scoped
from casework.projections import TEAM_KIND
from casework.tables import case_teams
from engine.storage.db import work_items
from engine.unit_of_work import CaseWork

UNSCOPED_ROLES = frozenset({"auditor"})


def case_filter(conn: Connection, user: User, case_id_column: ColumnElement[int],
                holders: list[str] | None = None) -> ColumnElement[bool] | None:
    """A WHERE clause on ``case_id_column`` hiding other teams' cases, or None when all are visible.

    ``holders``: the user and the people they stand in for (web/team/absence.covered_by).
    """
    if user.system or user.roles & UNSCOPED_ROLES or not team_scoped(conn, user.gemeente):
        return None
    others = select(case_teams.c.case_id).where(case_teams.c.gemeente == user.gemeente,
                                                case_teams.c.team != (user.team or ""))
    held = select(work_items.c.case_id).where(work_items.c.gemeente == user.gemeente,
                                              work_items.c.claimed_by.in_(holders or [user.username]))
    return or_(case_id_column.not_in(others), case_id_column.in_(held))


def may_see_case(conn: Connection, user: User, case_id: int) -> bool:
    """The same rule as ``case_filter``, for one case (dossier, task and case-file routes)."""
    if user.system or user.roles & UNSCOPED_ROLES or not team_scoped(conn, user.gemeente):
        return True
    team = conn.execute(select(case_teams.c.team).where(case_teams.c.case_id == case_id)).scalar()
    if team is None or team == user.team:
        return True
    holders = [user.username, *covered_by(conn, user)]
    return conn.execute(select(work_items.c.task_id).where(
        work_items.c.case_id == case_id, work_items.c.claimed_by.in_(holders)).limit(1)).first() is not None


def assign_case_team(case: CaseWork, user: User) -> None:
    """At intake, in its transaction: the case belongs to the team of the case worker who started it,
    a fact of the case's chain (``case_team_changed``) that verify rebuilds the row from."""
    if not user.team:
        return
    conn = case.conn
    if conn.execute(select(case_teams.c.case_id).where(case_teams.c.case_id == case.id)).first() is None:
        conn.execute(case_teams.insert().values(case_id=case.id, gemeente=user.gemeente, team=user.team,
                                                set_by=user.username, set_at=case.now))
        case.append(TEAM_KIND, user.username, {"van": None, "naar": user.team, "gemeente": user.gemeente,
                                               "reden": "bij de intake: het team van wie de zaak startte"})

"""A case's team, for team-only visibility (issue 8.1): set at intake, moved by a teamleider.

A move is one transaction: the case's team, a line in the beheer log (names only: a beheerder
reads that log without access to case data) and an event in the case's own history with the
reason, so the case worker and the auditor see why the case changed hands. Open tasks stay with
whoever holds them (they keep seeing the case, casework/visibility.py); the new team's
teamleider can hand them over on the team page.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.accounts.service import User
from casework.projections import TEAM_KIND
from casework.tables import case_teams, teams
from casework.visibility import may_see_case
from engine.service import CaseEngine

KIND = TEAM_KIND  # the row is rebuilt from it by verify (casework/projections.py)
REDEN_MAX = 500


def teams_of_cases(conn: Connection, case_ids: list[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    return dict(conn.execute(select(case_teams.c.case_id, case_teams.c.team)
                             .where(case_teams.c.case_id.in_(case_ids))).all())


def team_names(conn: Connection, gemeente: str) -> list[str]:
    return list(conn.execute(select(teams.c.name).where(teams.c.gemeente == gemeente)
                             .order_by(teams.c.name)).scalars())


def move_case(engine: CaseEngine, actor: User, case_id: int, team: str, reden: str) -> str | None:
    """Give the case to ``team``; returns the team it had (None: none). Raises FormErrors."""
    team, reden = team.strip(), reden.strip()
    with engine.reader.connect() as conn:
        current = teams_of_cases(conn, [case_id]).get(case_id)
        names = team_names(conn, actor.gemeente)
    errors: dict[str, str] = {}
    if team not in names:
        errors["team"] = "Team: kies een team van uw gemeente."
    elif team == current:
        errors["team"] = f"Team: de zaak hoort al bij {team}."
    if not reden:
        errors["reden"] = "Reden: geef aan waarom de zaak naar een ander team gaat."
    elif len(reden) > REDEN_MAX:
        errors["reden"] = f"Reden: gebruik maximaal {REDEN_MAX} tekens."
    if errors:
        raise FormErrors(errors)

    with engine.transaction() as tx:
        case = tx.case(case_id)
        conn = case.conn
        conn.execute(delete(case_teams).where(case_teams.c.case_id == case_id))
        conn.execute(case_teams.insert().values(case_id=case_id, gemeente=actor.gemeente, team=team,
                                                set_by=actor.username, set_at=case.now))
        record(conn, actor.gemeente, actor.username, "zaak_naar_team", case.ref.case_number,
               f"{current or 'geen team'} -> {team}")
        case.append(KIND, actor.username, {"van": current, "naar": team, "reden": reden,
                                           "gemeente": actor.gemeente})
    return current


def still_visible(engine: CaseEngine, actor: User, case_id: int) -> bool:
    with engine.reader.connect() as conn:
        return may_see_case(conn, actor, case_id)

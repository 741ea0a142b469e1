"""Teams of a gemeente and the gemeente's own settings (beheerder screen).

A user's team is stored by name (users.team), as is a case's team (case_teams.team), so renaming a
team renames it everywhere in one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.people import User, team_scoped
from casework.projections import TEAM_RENAMED
from casework.tables import case_teams, gemeente_settings, teams, users
from engine.errors import NotFound
from engine.service import CaseEngine
from engine.storage.db import read_only, utcnow


@dataclass
class Team:
    id: int
    name: str
    members: list[tuple[str, str, bool]] = field(default_factory=list)  # (naam, username, active)


def team_list(db: Engine, gemeente: str) -> list[Team]:
    with read_only(db).connect() as conn:
        found = [Team(i, n) for i, n in conn.execute(
            select(teams.c.id, teams.c.name).where(teams.c.gemeente == gemeente).order_by(teams.c.name))]
        by_name = {t.name: t for t in found}
        for naam, username, team, active in conn.execute(
                select(users.c.naam, users.c.username, users.c.team, users.c.active)
                .where(users.c.gemeente == gemeente, users.c.team.is_not(None)).order_by(users.c.naam)):
            if team in by_name:
                by_name[team].members.append((naam, username, bool(active)))
    return found


def create_team(db: Engine, admin: User, name: str) -> None:
    name = _valid_name(name)
    with db.begin() as conn:
        _refuse_duplicate(conn, admin.gemeente, name)
        conn.execute(teams.insert().values(gemeente=admin.gemeente, name=name))
        record(conn, admin.gemeente, admin.username, "team_aangemaakt", name, name)


def rename_team(engine: CaseEngine, admin: User, team_id: int, name: str) -> None:
    """Rename the team for its members and its cases; each case records ``case_team_renamed`` in
    its chain in the same transaction (verify rebuilds the case's team from its events)."""
    with engine.transaction() as tx:
        conn = tx.conn
        old = conn.execute(select(teams.c.name).where(
            teams.c.id == team_id, teams.c.gemeente == admin.gemeente)).scalar()
        if old is None:
            raise NotFound("team niet gevonden")
        name = _valid_name(name)
        if name == old:
            return
        _refuse_duplicate(conn, admin.gemeente, name)
        conn.execute(update(teams).where(teams.c.id == team_id).values(name=name))
        moved = list(conn.execute(select(case_teams.c.case_id).where(
            case_teams.c.gemeente == admin.gemeente, case_teams.c.team == old)
            .order_by(case_teams.c.case_id)).scalars())
        for table in (users, case_teams):
            conn.execute(update(table).where(table.c.gemeente == admin.gemeente, table.c.team == old)
                         .values(team=name))
        for case_id in moved:
            tx.case(case_id).append(TEAM_RENAMED, admin.username, {"van": old, "naar": name})
        record(conn, admin.gemeente, admin.username, "team_hernoemd", name, f"{old} → {name}")


def _valid_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 128:
        raise FormErrors({"teamnaam": "Teamnaam: vul een naam in (maximaal 128 tekens)."})
    return name


def _refuse_duplicate(conn: Connection, gemeente: str, name: str) -> None:
    if conn.execute(select(teams.c.id).where(teams.c.gemeente == gemeente, teams.c.name == name)).first():
        raise FormErrors({"teamnaam": f"Teamnaam: er is al een team {name}."})



def set_team_scoped(db: Engine, admin: User, scoped: bool) -> None:
    with db.begin() as conn:
        if team_scoped(conn, admin.gemeente) == scoped:
            return
        values = {"team_scoped": scoped, "updated_by": admin.username, "updated_at": utcnow()}
        changed = conn.execute(update(gemeente_settings).where(gemeente_settings.c.gemeente == admin.gemeente)
                               .values(**values)).rowcount
        if not changed:
            conn.execute(gemeente_settings.insert().values(gemeente=admin.gemeente, **values))
        record(conn, admin.gemeente, admin.username, "instelling_gewijzigd", None,
               "zaken alleen zichtbaar voor het eigen team: " + ("aan" if scoped else "uit"))

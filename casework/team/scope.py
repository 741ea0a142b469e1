"""Whose work a teamleider or beheerder may hand over or cover.

A beheerder: every active user of the gemeente. A teamleider: the members of their own team (a
teamleider without a team leads the whole gemeente, as in a small gemeente with one team).
Handover targets and vervangers must be able to do casework.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.accounts.service import User
from casework.roles import CASEWORK_ROLES
from casework.tables import users


def in_scope(conn: Connection, actor: User, include_inactive: bool = False) -> list[User]:
    """The users the actor may act for (active ones unless asked), by name."""
    query = select(users).where(users.c.gemeente == actor.gemeente)
    if not include_inactive:
        query = query.where(users.c.active.is_(True))
    if not actor.has("beheerder") and actor.team:
        query = query.where(users.c.team == actor.team)
    rows = conn.execute(query.order_by(users.c.naam)).mappings().all()
    return [User(r["id"], r["username"], r["naam"], r["gemeente"], frozenset(r["roles"].split()), r["team"])
            for r in rows]


def member_or_error(conn: Connection, actor: User, username: str, field: str, label: str,
                    errors: dict[str, str], casework: bool = False,
                    include_inactive: bool = False) -> User | None:
    found = next((u for u in in_scope(conn, actor, include_inactive) if u.username == username), None)
    if found is None:
        errors[field] = f"{label}: kies een actieve medewerker van {_scope_name(actor)}."
    elif casework and not found.roles & CASEWORK_ROLES:
        errors[field] = f"{label}: {found.naam} doet geen zaakbehandeling; kies een behandelaar."
        return None
    return found


def _scope_name(actor: User) -> str:
    return "uw gemeente" if actor.has("beheerder") or not actor.team else actor.team

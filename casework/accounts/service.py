"""Account service functions: create, authenticate, look up users and teams.

Passwords are hashed with werkzeug's scrypt; a failed sign-in still hashes once so the answer
takes as long for an unknown user as for a wrong password.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from werkzeug.security import check_password_hash, generate_password_hash

from casework.accounts.passwords import password_problem
from casework.people import User as User  # re-exported: callers take the actor type from here
from casework.people import user_from_row
from casework.roles import GEMEENTEN, ROLES
from casework.tables import teams, users
from engine.storage.db import read_only, utcnow
from engine.storage.rows import inserted_id

_DUMMY_HASH = generate_password_hash("timing-equaliser")


class AccountError(ValueError):
    """A user-facing problem with account data (Dutch message)."""


def create_user(db: Engine, username: str, password: str, naam: str, gemeente: str,
                roles: list[str] | tuple[str, ...], team: str | None = None,
                password_hash: str | None = None) -> User:
    """A new active user; ``password_hash`` lets a bulk loader hash a shared password once."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise AccountError(f"onbekende rol: {', '.join(unknown)}")
    if gemeente not in GEMEENTEN:
        raise AccountError(f"onbekende gemeente: {gemeente}")
    with db.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise AccountError(f"gebruikersnaam {username} bestaat al")
        # The policy applies wherever a password is chosen; a precomputed hash (the demo loader
        # with its published demo password, bulk imports) was checked, or not, by its maker.
        if password_hash is None and (problem := password_problem(password, username)):
            raise AccountError(problem)
        if team:
            _ensure_team(conn, gemeente, team)
        user_id = inserted_id(conn.execute(users.insert().values(
            username=username, password_hash=password_hash or generate_password_hash(password),
            naam=naam, gemeente=gemeente, roles=" ".join(roles), team=team, active=True,
            created_at=utcnow())))
    return User(user_id, username, naam, gemeente, frozenset(roles), team)


def _ensure_team(conn: Connection, gemeente: str, name: str) -> None:
    found = conn.execute(select(teams.c.id).where(teams.c.gemeente == gemeente, teams.c.name == name)).first()
    if found is None:
        conn.execute(teams.insert().values(gemeente=gemeente, name=name))


def authenticate(db: Engine, username: str, password: str) -> User | None:
    with read_only(db).connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username.strip())).mappings().first()
    if row is None or not row["active"]:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(row["password_hash"], password):
        return None
    return user_from_row(row)



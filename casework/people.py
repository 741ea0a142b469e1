"""The people who work in trede: who they are, and the few facts about them that rules read.

A ``User`` is a signed-in person or, for the REST API, a system acting for its gemeente through a
token (``system=True``). The use cases take one as their actor; the rules read its gemeente, roles
and team. Accounts are created and changed in ``casework/accounts`` (the beheer screen).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine, RowMapping

from casework.tables import absences, gemeente_settings, users
from engine.storage.db import read_only

LOCAL = ZoneInfo("Europe/Amsterdam")  # the zone of legal dates and of absences


@dataclass(frozen=True)
class User:
    id: int
    username: str
    naam: str
    gemeente: str
    roles: frozenset[str]
    team: str | None
    system: bool = False  # another system through an API token: acts for the gemeente, not a person

    def has(self, role: str) -> bool:
        return role in self.roles


def system_user(name: str, gemeente: str) -> User:
    """The actor of an API call: the token's holder, for the token's gemeente, with no roles."""
    return User(0, name, name, gemeente, frozenset(), None, system=True)


def user_from_row(row: RowMapping) -> User:
    return User(row["id"], row["username"], row["naam"], row["gemeente"],
                frozenset(row["roles"].split()), row["team"])


def get_user(db: Engine, user_id: int) -> User | None:
    with read_only(db).connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id, users.c.active.is_(True))
                           ).mappings().first()
    return user_from_row(row) if row else None


def users_in_gemeente(db: Engine, gemeente: str, role: str | None = None) -> list[User]:
    with read_only(db).connect() as conn:
        rows = conn.execute(select(users).where(users.c.gemeente == gemeente, users.c.active.is_(True))
                            .order_by(users.c.naam)).mappings().all()
    found = [user_from_row(r) for r in rows]
    return [u for u in found if role is None or u.has(role)]


def find_user(db: Engine, username: str) -> User | None:
    with read_only(db).connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    return user_from_row(row) if row else None


def acting_user(db: Engine, username: str, gemeente: str | None = None) -> User:
    """The active account a command-line user acts as (``--actor``), so the CLI meets the same rules
    as the pages; raises LookupError with a Dutch message."""
    with read_only(db).connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username.strip(),
                                               users.c.active.is_(True))).mappings().first()
    if row is None:
        raise LookupError(f"gebruiker {username!r} bestaat niet of is niet actief")
    if gemeente is not None and row["gemeente"] != gemeente:
        raise LookupError(f"gebruiker {username!r} werkt niet voor gemeente {gemeente!r}")
    return user_from_row(row)


def team_scoped(conn: Connection, gemeente: str) -> bool:
    """Does the gemeente show a case only to the case's own team? (issue 8.1; default: no)"""
    value = conn.execute(select(gemeente_settings.c.team_scoped)
                         .where(gemeente_settings.c.gemeente == gemeente)).scalar()
    return bool(value)


def today() -> date:
    return datetime.now(LOCAL).date()


def covered_by(conn: Connection, user: User, on: date | None = None) -> list[str]:
    """Usernames of the people ``user`` stands in for today."""
    on = on or today()
    return list(conn.execute(select(absences.c.username).where(
        absences.c.gemeente == user.gemeente, absences.c.vervanger == user.username,
        absences.c.start_date <= on, absences.c.end_date >= on)).scalars())

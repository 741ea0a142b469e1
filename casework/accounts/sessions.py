"""Sign-in sessions kept on the server (issue 17, finding 3).

The session cookie carries a random secret; the server keeps its SHA-256 with when the session
began, when it was last used and whether it ended. So signing out ends the session for every
copy of the cookie (a replayed cookie, even one the server refreshed, gets the sign-in page), as
does deactivating the user or resetting their password; and a session ends after a fixed
lifetime however busy it is (OWASP ASVS 4.0.3 V3.3.1 and V3.3.2: 30 minutes idle, 12 hours in
all, both settings).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Connection, Engine

from casework.people import User, user_from_row
from casework.tables import user_sessions, users
from engine.storage.db import single_reads

# last_seen_at is written at most once a minute: a page view is not a write, the idle timeout is
# still exact to the minute.
TOUCH_EVERY = timedelta(minutes=1)

SIGNED_OUT, DEACTIVATED, PASSWORD_RESET, IDLE, TOO_LONG = (
    "afgemeld", "gedeactiveerd", "wachtwoord_gereset", "inactief", "maximale_duur")


@dataclass(frozen=True)
class Policy:
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)


@dataclass(frozen=True)
class Resumed:
    """The session's user, or None with the reason it is over (IDLE, TOO_LONG or ended)."""

    user: User | None
    reason: str | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start(db: Engine, user_id: int, now: datetime, policy: Policy | None = None) -> str:
    """A new session for a user who just signed in; returns the secret for the cookie. The user's
    sessions that can no longer be used (ended, or older than the absolute lifetime) go, so the
    table holds about one row per person."""
    secret = secrets.token_urlsafe(32)
    oldest = now - (policy or Policy()).absolute
    with db.begin() as conn:
        conn.execute(delete(user_sessions).where(
            user_sessions.c.user_id == user_id,
            or_(user_sessions.c.ended_at.is_not(None), user_sessions.c.created_at < oldest)))
        conn.execute(user_sessions.insert().values(
            id=_digest(secret), user_id=user_id, created_at=now, last_seen_at=now))
    return secret


def resume(db: Engine, secret: str, now: datetime, policy: Policy) -> Resumed:
    """The signed-in user of the session ``secret``, if it is still on."""
    query = (select(users, user_sessions.c.created_at.label("session_started"),
                    user_sessions.c.last_seen_at, user_sessions.c.ended_at)
             .join(users, users.c.id == user_sessions.c.user_id)
             .where(user_sessions.c.id == _digest(secret)))
    with single_reads(db) as conn:
        row = conn.execute(query).mappings().first()
    if row is None or row["ended_at"] is not None or not row["active"]:
        return Resumed(None, SIGNED_OUT)
    over = (TOO_LONG if now - row["session_started"] > policy.absolute
            else IDLE if now - row["last_seen_at"] > policy.idle else None)
    if over is not None:
        end(db, secret, now, over)
        return Resumed(None, over)
    if now - row["last_seen_at"] >= TOUCH_EVERY:
        with db.begin() as conn:
            conn.execute(update(user_sessions).where(user_sessions.c.id == _digest(secret))
                         .values(last_seen_at=now))
    return Resumed(user_from_row(row))


def end(db: Engine, secret: str, now: datetime, reason: str = SIGNED_OUT) -> None:
    """Sign-out: the session is over for every copy of its cookie."""
    with db.begin() as conn:
        conn.execute(update(user_sessions)
                     .where(user_sessions.c.id == _digest(secret), user_sessions.c.ended_at.is_(None))
                     .values(ended_at=now, end_reason=reason))


def end_all_of(conn: Connection, user_id: int, now: datetime, reason: str) -> int:
    """Every open session of a user ends (deactivation, a password reset), in the caller's
    transaction: the change and the sign-out happen together or not at all."""
    return conn.execute(update(user_sessions)
                        .where(user_sessions.c.user_id == user_id, user_sessions.c.ended_at.is_(None))
                        .values(ended_at=now, end_reason=reason)).rowcount

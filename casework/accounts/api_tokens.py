"""API tokens: issued per gemeente with scopes and an expiry, stored only as a hash, revocable.

A token expires (default 90 days, ``TREDE_API_TOKEN_DAYS`` or ``trede token create --days``): a
token that leaked into a script or a log stops working by itself (issue 17, finding 11; BIO
9.4.2, NCSC ICT-beveiligingsrichtlijnen voor webapplicaties B.3). Its last use is kept to the
hour, so a beheerder can see which tokens are still needed, without a write on every call.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Engine, RowMapping

from casework.tables import api_tokens
from engine.storage.db import read_only, single_reads

SCOPES = {
    "cases:read", "cases:write", "tasks:read", "tasks:write", "messages:write", "messages:admin",
    "timers:run", "decisions:evaluate", "deploys:submit", "parties:write",
}
DEFAULT_DAYS = 90
MAX_DAYS = 366  # a token for longer than a year is a password nobody rotates
USE_RECORDED_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Principal:
    name: str
    gemeente: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class Refused:
    """Why a token was not accepted, in Dutch, for the 401 answer."""

    message: str


@dataclass(frozen=True)
class TokenInfo:
    name: str
    gemeente: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(db: Engine, name: str, gemeente: str, scopes: set[str], now: datetime,
          days: int = DEFAULT_DAYS) -> str:
    """A new token, shown once; it works until ``now`` plus ``days``."""
    unknown = set(scopes) - SCOPES
    if unknown:
        raise ValueError(f"onbekende scope(s): {', '.join(sorted(unknown))}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"geldigheid: kies 1 tot en met {MAX_DAYS} dagen")
    token = "trd_" + secrets.token_urlsafe(32)
    with db.begin() as conn:
        conn.execute(api_tokens.insert().values(
            token_hash=_digest(token), name=name, gemeente=gemeente, scopes=" ".join(sorted(scopes)),
            created_at=now, expires_at=now + timedelta(days=days)))
    return token


def revoke(db: Engine, name: str, now: datetime) -> int:
    with db.begin() as conn:
        return conn.execute(update(api_tokens).where(api_tokens.c.name == name,
                                                     api_tokens.c.revoked_at.is_(None))
                            .values(revoked_at=now)).rowcount


# Built once: every API request starts with this read.
_BY_HASH = select(api_tokens).where(api_tokens.c.token_hash == bindparam("digest"))


def authenticate(db: Engine, token: str, now: datetime) -> Principal | Refused:
    """The token's holder, or why it is refused (unknown, revoked, expired)."""
    with single_reads(db) as conn:
        row = conn.execute(_BY_HASH, {"digest": _digest(token)}).mappings().first()
    if row is None or row["revoked_at"] is not None:
        return Refused("token onbekend of ingetrokken")
    expires_at = row["expires_at"]
    if expires_at is None or now >= expires_at:
        day = expires_at.date().isoformat() if expires_at else "onbekend"
        return Refused(f"token verlopen (geldig tot {day}); vraag de beheerder om een nieuw token")
    _record_use(db, row, now)
    return Principal(row["name"], row["gemeente"], frozenset(row["scopes"].split()))


def _record_use(db: Engine, row: RowMapping, now: datetime) -> None:
    last = row["last_used_at"]
    if last is not None and now - last < USE_RECORDED_EVERY:
        return  # the common case: no write at all
    with db.begin() as conn:
        conn.execute(update(api_tokens).where(api_tokens.c.id == row["id"]).values(last_used_at=now))


def tokens(db: Engine, gemeente: str | None = None) -> list[TokenInfo]:
    """Every token (of one gemeente), newest first: for `trede token list`."""
    query = select(api_tokens).order_by(api_tokens.c.created_at.desc(), api_tokens.c.id.desc())
    if gemeente:
        query = query.where(api_tokens.c.gemeente == gemeente)
    with read_only(db).connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [TokenInfo(r["name"], r["gemeente"], tuple(r["scopes"].split()), r["created_at"],
                      r["expires_at"], r["last_used_at"], r["revoked_at"]) for r in rows]

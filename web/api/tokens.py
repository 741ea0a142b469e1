"""API tokens: issued per gemeente with scopes, stored only as a hash, revocable."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from casework.tables import api_tokens
from engine.storage.db import single_reads as single_read

SCOPES = {
    "cases:read", "cases:write", "tasks:read", "tasks:write", "messages:write", "messages:admin",
    "timers:run", "decisions:evaluate",
}


@dataclass(frozen=True)
class Principal:
    name: str
    gemeente: str
    scopes: frozenset[str]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(db: Engine, name: str, gemeente: str, scopes: set[str], now: datetime) -> str:
    unknown = set(scopes) - SCOPES
    if unknown:
        raise ValueError(f"onbekende scope(s): {', '.join(sorted(unknown))}")
    token = "trd_" + secrets.token_urlsafe(32)
    with db.begin() as conn:
        conn.execute(api_tokens.insert().values(token_hash=_digest(token), name=name, gemeente=gemeente,
                                                scopes=" ".join(sorted(scopes)), created_at=now))
    return token


def revoke(db: Engine, name: str, now: datetime) -> int:
    with db.begin() as conn:
        return conn.execute(update(api_tokens).where(api_tokens.c.name == name,
                                                     api_tokens.c.revoked_at.is_(None))
                            .values(revoked_at=now)).rowcount


def authenticate(db: Engine, token: str) -> Principal | None:
    with single_read(db) as conn:
        query = select(api_tokens).where(api_tokens.c.token_hash == _digest(token))
        row = conn.execute(query).mappings().first()
    if row is None or row["revoked_at"] is not None:
        return None
    return Principal(row["name"], row["gemeente"], frozenset(row["scopes"].split()))

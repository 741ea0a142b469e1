"""Rate limiting and lockout of sign-in attempts, per account and per client address.

Counted in the database (table ``login_throttle``), so every gunicorn worker and every server
sees the same counts and a restart forgets nothing. One row per key with a fixed window: the
first failure starts the window, and when the window has passed the next failure starts a new
one. The key is an HMAC of the username or address with the app's secret key, so what somebody
typed as a username (sometimes a password) is never stored. Expired rows are deleted as new
failures come in, so an attacker inventing usernames fills at most one window's worth of rows.

A locked account answers the same as a wrong password would (plus the wait), whether or not the
account exists, so the lockout does not reveal which usernames are real.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from engine.storage.db import read_only
from web.tables import login_throttle as table

DEFAULTS = {
    "LOGIN_WINDOW_SECONDS": 15 * 60,  # failures counted over this window
    "LOGIN_MAX_FAILURES_ACCOUNT": 5,  # then the account is locked for the window
    "LOGIN_MAX_FAILURES_ADDRESS": 20,  # one address trying many accounts (password spraying)
}


class LoginThrottle:
    def __init__(self, config: Mapping[str, Any], db: Engine,
                 clock: Callable[[], float] = time.time) -> None:
        settings = {**DEFAULTS, **{k: v for k, v in config.items() if k in DEFAULTS}}
        self.window = timedelta(seconds=float(settings["LOGIN_WINDOW_SECONDS"]))
        self.max_account = int(settings["LOGIN_MAX_FAILURES_ACCOUNT"])
        self.max_address = int(settings["LOGIN_MAX_FAILURES_ADDRESS"])
        self.db = db
        self.clock = clock
        self._secret = str(config.get("SECRET_KEY") or "").encode("utf-8")

    def blocked(self, username: str, address: str) -> bool:
        """True while the account or the address has used up its failures in the window."""
        account, addr = self._key("u", _normal(username)), self._key("a", address)
        query = select(table.c.key, table.c.failures).where(
            table.c.key.in_([account, addr]), table.c.window_start > self._now() - self.window)
        with read_only(self.db).connect() as conn:
            counts = dict(conn.execute(query).all())
        return counts.get(account, 0) >= self.max_account or counts.get(addr, 0) >= self.max_address

    def failed(self, username: str, address: str) -> None:
        now = self._now()
        for key in (self._key("u", _normal(username)), self._key("a", address)):
            self._count_failure(key, now)
        with self.db.begin() as conn:  # its own statement: never holds a counted row's lock
            conn.execute(delete(table).where(table.c.window_start <= now - self.window))

    def succeeded(self, username: str) -> None:
        """A good password resets the account's count (not the address's: spraying continues)."""
        with self.db.begin() as conn:
            conn.execute(delete(table).where(table.c.key == self._key("u", _normal(username))))

    def wait_minutes(self) -> int:
        return max(1, round(self.window.total_seconds() / 60))

    def _count_failure(self, key: str, now: datetime) -> None:
        expired = table.c.window_start <= now - self.window
        bump = update(table).where(table.c.key == key).values(
            failures=case((expired, 1), else_=table.c.failures + 1),
            window_start=case((expired, now), else_=table.c.window_start))
        for _ in range(3):  # two workers counting the first failure of a key at once: one inserts
            with self.db.begin() as conn:
                if conn.execute(bump).rowcount == 1:
                    return
            try:
                with self.db.begin() as conn:
                    conn.execute(table.insert().values(key=key, failures=1, window_start=now))
                return
            except IntegrityError:
                continue

    def _key(self, kind: str, value: str) -> str:
        return hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


def _normal(username: str) -> str:
    return username.strip().lower()


def failures_stored(db: Engine) -> int:
    """Rows in the table (for tests and the bench: the table stays small)."""
    with read_only(db).connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()

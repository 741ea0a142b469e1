"""Rate limiting and lockout of sign-in attempts, per account and per client address.

Kept IN MEMORY, per server process, on purpose: no table and no write per failed attempt (an
attacker cannot fill the database). The consequences, accepted for now and documented in
docs/security.md: a restart clears the counters, and with N gunicorn workers an attacker gets up
to N times the limit (still a few dozen guesses per window against 12+ character passwords).
Move this to the database or a shared cache before running many workers on the internet.

A locked account answers the same as a wrong password would (plus the wait), whether or not the
account exists, so the lockout does not reveal which usernames are real.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from typing import Any

DEFAULTS = {
    "LOGIN_WINDOW_SECONDS": 15 * 60,  # failures counted over this window
    "LOGIN_MAX_FAILURES_ACCOUNT": 5,  # then the account is locked for the window
    "LOGIN_MAX_FAILURES_ADDRESS": 20,  # one address trying many accounts (password spraying)
}


class LoginThrottle:
    def __init__(self, config: Mapping[str, Any], clock: Callable[[], float] = time.monotonic) -> None:
        settings = {**DEFAULTS, **{k: v for k, v in config.items() if k in DEFAULTS}}
        self.window = float(settings["LOGIN_WINDOW_SECONDS"])
        self.max_account = int(settings["LOGIN_MAX_FAILURES_ACCOUNT"])
        self.max_address = int(settings["LOGIN_MAX_FAILURES_ADDRESS"])
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, username: str, address: str) -> bool:
        """True while the account or the address has used up its failures in the window."""
        with self._lock:
            return (self._count(_account_key(username)) >= self.max_account
                    or self._count(_address_key(address)) >= self.max_address)

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > 10_000:  # many made-up usernames: drop what has expired
                for key in list(self._failures):
                    self._count(key)
            self._failures[_account_key(username)].append(now)
            self._failures[_address_key(address)].append(now)

    def succeeded(self, username: str) -> None:
        """A good password resets the account's count (not the address's: spraying continues)."""
        with self._lock:
            self._failures.pop(_account_key(username), None)

    def wait_minutes(self) -> int:
        return max(1, round(self.window / 60))

    def _count(self, key: str) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            del self._failures[key]  # forget idle keys: memory stays bounded by recent attackers
        return len(times)


def _account_key(username: str) -> str:
    return "u:" + username.strip().lower()


def _address_key(address: str) -> str:
    return "a:" + address

"""One clock for the whole engine, settable by tests, the worker and replay.

Every step reads the time once, at its start, and runs with that time frozen: SpiffWorkflow's own
reads of the clock (timer due times, task state changes) are routed here by ``engine.sandbox.determinism``.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to: scenario tests move through years in seconds."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now


_frozen: ContextVar[datetime | None] = ContextVar("trede_frozen_time", default=None)


def frozen_now() -> datetime | None:
    """The time of the step being run in this context, if any."""
    return _frozen.get()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Run the body with the engine's notion of 'now' fixed at ``moment``."""
    token = _frozen.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _frozen.reset(token)

"""Make SpiffWorkflow deterministic, so that replay reproduces the stored state byte for byte.

SpiffWorkflow draws task ids from ``uuid4`` and reads ``time.time()`` / ``datetime.now()`` itself.
It has no hooks for either, so we route those module-level names through context variables: inside
a step, task ids come from uuid5(instance uid, counter) and the time is the step's frozen time;
outside a step (the bare library, a benchmark baseline) everything behaves as upstream.
"""
from __future__ import annotations

import functools
import hashlib
import time as _time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, tzinfo
from typing import Any

import SpiffWorkflow.bpmn.specs.event_definitions.timer as _timer_module
import SpiffWorkflow.task as _task_module

from engine.clock import frozen_now
from engine.sandbox.limits import tick

# RFC 4122 version 5: the version and variant bits set on the first 128 bits of the SHA-1.
_KEEP = ~(0xC000 << 48 | 0xF000 << 64) & ((1 << 128) - 1)
_V5 = 0x8000 << 48 | 5 << 76


class IdSequence:
    """Task ids of one process instance: uuid5(namespace, n) for n = counter, counter+1, ...

    Computed as ``uuid.uuid5`` does, without its argument checks (a new workflow draws dozens of
    ids; the replay of ``trede verify`` spent 6 % of its time here, issue 16 item 5).
    ``tests/engine/test_replay_speedups_equal_library.py`` holds it equal to ``uuid.uuid5``."""

    def __init__(self, namespace: uuid.UUID, counter: int, prefix: Any = None) -> None:
        self.namespace = namespace
        self.counter = counter
        self._prefix = prefix or _prefix_of(namespace)

    @classmethod
    def of(cls, uid: str, counter: int) -> IdSequence:
        """The sequence of the instance ``uid`` (its text parsed and hashed once per instance)."""
        namespace, prefix = _namespace(uid)
        return cls(namespace, counter, prefix)

    def next(self) -> uuid.UUID:
        self.counter += 1
        digest = self._prefix.copy()
        digest.update(str(self.counter).encode())
        return uuid.UUID(int=int.from_bytes(digest.digest()[:16]) & _KEEP | _V5)


@functools.lru_cache(maxsize=4096)
def _namespace(uid: str) -> tuple[uuid.UUID, Any]:
    namespace = uuid.UUID(uid)
    return namespace, _prefix_of(namespace)


def _prefix_of(namespace: uuid.UUID) -> Any:
    """SHA-1 over the namespace: each id copies it and adds its counter (never updated itself)."""
    return hashlib.sha1(namespace.bytes, usedforsecurity=False)


_ids: ContextVar[IdSequence | None] = ContextVar("trede_id_sequence", default=None)


def _uuid4() -> uuid.UUID:
    # Every task SpiffWorkflow creates draws its id here, inside loops no hook reaches
    # (multi-instance expansion, a cycle's children): a tick bounds them by the step's budget.
    tick()
    seq = _ids.get()
    return seq.next() if seq is not None else uuid.uuid4()


class _TimeShim:
    """Stands in for the ``time`` module inside SpiffWorkflow.task."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_time, name)

    @staticmethod
    def time() -> float:
        frozen = frozen_now()
        return frozen.timestamp() if frozen is not None else _time.time()


class _FrozenDatetime(datetime):
    """Stands in for ``datetime`` inside SpiffWorkflow's timer module."""

    @classmethod
    # A plain datetime, not a _FrozenDatetime: SpiffWorkflow's timer code only computes with it.
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        frozen = frozen_now()
        if frozen is None:
            return datetime.now(tz)
        return frozen.astimezone(tz) if tz is not None else frozen.astimezone(UTC).replace(tzinfo=None)


def install() -> None:
    """Route SpiffWorkflow's id and clock reads through trede (idempotent)."""
    _task_module.uuid4 = _uuid4
    _task_module.time = _TimeShim()
    _timer_module.datetime = _FrozenDatetime


@contextmanager
def id_sequence(seq: IdSequence) -> Iterator[IdSequence]:
    token = _ids.set(seq)
    try:
        yield seq
    finally:
        _ids.reset(token)


install()

"""CPU-time and memory budgets for sandboxed model code.

Model code cannot be interrupted by a signal (Flask serves requests from threads and signals reach
only the main thread), so the sandbox compiler injects a cheap ``_tick_()`` call into every loop
body, function body and lambda, and every guarded iteration ticks too. A tick counts down and only
every ``CHECK_EVERY`` ticks reads this thread's CPU clock and the process's resident memory, so
the common path costs one attribute decrement. Size guards on single operations are in
``engine.sandbox.guards``.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_CPU_SECONDS = 2.0
# Growth of the process's resident memory during one step. Other threads count too, so this is
# a coarse net under the size guards, set far above what any legitimate step needs.
MAX_MEMORY_GROWTH = 512 * 1024 * 1024
CHECK_EVERY = 256
TASK_WEIGHT = 8  # a task the step loop runs counts as this many ticks towards a full check
_SMALL = 100  # containers up to this length are iterated without a per-item tick


class SandboxLimitExceeded(Exception):
    """Model code hit the CPU-time, memory or size limit of the sandbox."""


class _Rss:
    """Resident set size of this process from /proc (Linux); 0 where unavailable."""

    def __init__(self) -> None:
        self.pid = -1
        self.fd = -1
        self.page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def read(self) -> int:
        if self.pid != os.getpid():  # /proc/self was resolved when opened: reopen after a fork
            self.pid = os.getpid()
            try:
                self.fd = os.open("/proc/self/statm", os.O_RDONLY)
            except OSError:
                self.fd = -1
        if self.fd < 0:
            return 0
        try:
            return int(os.pread(self.fd, 64, 0).split()[1]) * self.page
        except (OSError, ValueError, IndexError):
            return 0


_rss = _Rss()


class _Budget:
    """CPU seconds that sandboxed code in one thread may still use, and its memory allowance."""

    __slots__ = ("limit", "used", "started", "wall_started", "depth", "countdown", "exceeded", "rss_start",
                 "where")

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.used = 0.0
        self.started = 0.0
        self.wall_started = 0.0
        self.depth = 0
        self.countdown = CHECK_EVERY
        self.exceeded: str | None = None
        self.rss_start = 0
        self.where: Any = None  # the task the step loop ran last (named when a limit is hit)

    def enter(self) -> None:
        if self.exceeded:
            raise SandboxLimitExceeded(self.exceeded)
        if self.depth == 0:
            self.started = time.thread_time()
            self.wall_started = time.perf_counter()
        self.depth += 1

    def leave(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.used += time.thread_time() - self.started

    def check(self) -> None:
        # Sticky: once exceeded, every later tick raises again, so code that catches the
        # exception in a loop cannot keep running.
        self.countdown = CHECK_EVERY
        if not self.exceeded:
            spent = self.used + (time.thread_time() - self.started if self.depth else 0.0)
            # Memory is measured from the first check on: code that never loops long never
            # pays for reading it.
            rss = _rss.read()
            if not self.rss_start:
                self.rss_start = rss
            if spent > self.limit:
                self.exceeded = f"de modelcode rekende langer dan de grens van {self.limit:g} s CPU-tijd"
            elif rss and rss - self.rss_start > MAX_MEMORY_GROWTH:
                self.exceeded = ("de modelcode gebruikte meer dan de grens van "
                                 f"{MAX_MEMORY_GROWTH >> 20} MB geheugen")
        if self.exceeded:
            self.countdown = 0
            raise SandboxLimitExceeded(self.exceeded)


_local = threading.local()


def _current() -> _Budget | None:
    return getattr(_local, "budget", None)


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Limit the CPU time sandboxed code may use in this thread during the block (one engine step)."""
    previous = _current()
    _local.budget = _Budget(seconds)
    try:
        yield
    finally:
        _local.budget = previous


@contextmanager
def step_budget(seconds: float) -> Iterator[None]:
    """The budget for a whole engine step: SpiffWorkflow's own work counts, not only model code.

    The budget is entered for the entire block, so the CPU time of the engine steps, gateways,
    timers and multi-instance expansion a model causes is charged to it; ``checkpoint`` (called by
    the step loop for every task it runs) and the ticks in model code stop the step past it.
    """
    previous = _current()
    budget = _local.budget = _Budget(seconds)
    budget.enter()
    try:
        yield
    finally:
        budget.leave()
        _local.budget = previous


def checkpoint(task: Any = None) -> None:
    """SpiffWorkflow's ``will_complete_task`` hook, once per task the step loop runs.

    Reading this thread's CPU clock is a system call on some machines (4 us measured), so the wall
    clock, which never runs behind the CPU time, filters first: only once the wall time since the
    budget was entered could exceed the limit is the CPU clock read. Memory is read every few tasks.
    """
    budget = getattr(_local, "budget", None)
    if budget is None:
        return
    budget.where = task
    budget.countdown -= TASK_WEIGHT
    could_exceed = budget.used + (time.perf_counter() - budget.wall_started) > budget.limit
    if budget.countdown <= 0 or could_exceed or budget.exceeded:
        budget.check()


def last_task() -> Any:
    """The task the step loop ran last under the active budget (None outside a step)."""
    budget = getattr(_local, "budget", None)
    return budget.where if budget is not None else None


class sandboxed_run:  # noqa: N801 - used like a function: `with sandboxed_run():`
    """Account one evaluate/execute call against the active budget (or a fresh default one).

    A class rather than @contextmanager: it wraps every condition and cell, so it must be cheap.
    """

    __slots__ = ("budget", "own")
    budget: _Budget
    own: bool

    def __enter__(self) -> None:
        budget: _Budget | None = getattr(_local, "budget", None)
        self.own = budget is None
        if budget is None:
            budget = _local.budget = _Budget(DEFAULT_CPU_SECONDS)
        self.budget = budget
        budget.enter()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        budget = self.budget
        budget.leave()
        if self.own:
            _local.budget = None
        if exc_type is None and budget.exceeded:  # the code swallowed the limit error
            raise SandboxLimitExceeded(budget.exceeded)


def tick(value: Any = None) -> Any:
    """Injected into loop and function bodies; returns its argument so it can wrap a lambda body."""
    budget = getattr(_local, "budget", None)
    if budget is not None:
        budget.countdown -= 1
        if budget.countdown <= 0:
            budget.check()
    return value


def guarded_iter(ob: Any) -> Iterator[Any]:
    """``_getiter_``: small containers iterate directly, anything else ticks per item."""
    tick()
    if type(ob) in (list, tuple, dict, set, frozenset, str, range) and len(ob) <= _SMALL:
        return iter(ob)
    return _ticking(iter(ob))


def _ticking(it: Iterator[Any]) -> Iterator[Any]:
    for item in it:
        tick()
        yield item

"""Timers: N one-day timers due at the same moment, fired by two `trede worker` processes.

The cases are generated (shape ``alleen_timer``) with histories ending exactly one day before a
due moment a little in the future, so every timer falls due at that one moment. Two workers
(``trede worker --interval I``) are started before the due moment and stopped when every timer
has fired or a time limit passed.

Firing time: the worker stamps every event of a batch with the time the batch started
(``run_due`` reads the clock once), so the bench also watches the events table every 100 ms and
notes when each instance's ``timer_fired`` event became visible (committed). Spread figures are
"visible minus due"; their resolution is the polling interval.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bench import procs
from bench.databases import postgres_schema
from bench.generator import generate
from bench.shapes import TIMER_ONLY
from engine.storage.db import make_db_engine

POLL_SECONDS = 0.1
_FIRED_SINCE = text("SELECT id, instance_id FROM events WHERE kind = 'timer_fired' AND id > :i")


@dataclass
class TimerResult:
    timers: int
    fired: int
    duplicates: int  # instances with more than one timer_fired event
    all_fired_s: float  # from the due moment until the last firing was visible
    generated_before_due: bool
    spread_s: list[float] = field(default_factory=list)  # visible - due, per instance
    at_spread_s: list[float] = field(default_factory=list)  # event "at" - due, per instance
    verify_failures: int = 0


def _watch(db, due: datetime, stop: threading.Event, seen: dict[int, float], skip: set[int]) -> None:
    last_id = 0
    while not stop.is_set():
        with db.connect() as conn:
            rows = conn.execute(_FIRED_SINCE, {"i": last_id}).all()
        now = datetime.now(UTC)
        for event_id, instance_id in rows:
            last_id = max(last_id, event_id)
            if instance_id not in skip:
                seen.setdefault(instance_id, (now - due).total_seconds())
        stop.wait(POLL_SECONDS)


def run(base_url: str, timers: int, workers: int, interval: float, max_seconds: float, log_dir: Path,
        lead: float, verify_sample: int = 20) -> TimerResult:
    """In a schema of its own: generate, fire with ``workers`` processes, count, verify a sample."""
    key = secrets.token_bytes(32)
    with postgres_schema(base_url) as url:
        return fire(url, key, timers, workers, interval, max_seconds, log_dir, lead, verify_sample)


def fire(url: str, key: bytes, timers: int, workers: int, interval: float, max_seconds: float, log_dir: Path,
         lead: float, verify_sample: int = 20, during: Callable[[], object] | None = None) -> TimerResult:
    """Add ``timers`` timer cases due ``lead`` seconds from now to the database at ``url``; fire them.

    ``during``, if given, runs in this thread from the due moment on (the cluster benchmark's HTTP
    load), while the workers fire.
    """
    db = make_db_engine(url)
    with db.connect() as conn:
        before = set(conn.execute(text("SELECT DISTINCT instance_id FROM events WHERE kind = 'timer_fired'"))
                     .scalars())
    env = procs.environment(url, key)
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=lead)
    logs = [log_dir / f"timer-worker-{n}.log" for n in range(workers)]
    argv = procs.trede_worker_argv(interval, batch=100)
    with _all_started([(argv, env, log) for log in logs]):
        generated = generate(url, timers, key, shapes=TIMER_ONLY, variants=1, end=due - timedelta(days=1))
        ready = datetime.now(UTC) < due
        seen: dict[int, float] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(db, due, stop, seen, before), daemon=True)
        watcher.start()
        if during is not None:
            time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
            during()
        limit = time.monotonic() + max(0.0, (due - datetime.now(UTC)).total_seconds()) + max_seconds
        while time.monotonic() < limit and len(seen) < timers + 1:  # + the template's own timer
            time.sleep(0.2)
        time.sleep(2 * POLL_SECONDS)  # duplicates, if any, show up after the last first firing
        stop.set()
        watcher.join(5)
    with db.connect() as conn:
        counts = [row for row in conn.execute(text(
            "SELECT instance_id, count(*), min(at) FROM events WHERE kind = 'timer_fired' "
            "GROUP BY instance_id")).all() if row[0] not in before]
    db.dispose()
    result = TimerResult(timers + 1, len(counts), sum(1 for _, n, _ in counts if n > 1),
                         max(seen.values(), default=float("nan")), ready, sorted(seen.values()),
                         sorted((at.replace(tzinfo=UTC) - due).total_seconds() for _, _, at in counts))
    result.verify_failures = _verify_some(url, key, generated.first_case_id, timers, verify_sample)
    return result


def _verify_some(url: str, key: bytes, first: int, count: int, sample: int) -> int:
    import random

    from engine.audit.seal import Sealer
    from engine.service import CaseEngine

    engine = CaseEngine(make_db_engine(url), sealer=Sealer(key))
    try:
        ids = random.Random(3).sample(range(first, first + count), min(sample, count))
        return sum(not engine.verify(case_id).ok for case_id in ids)
    finally:
        engine.db.dispose()


class _all_started:
    """Start several processes; stop them all on exit (each by its own pid)."""

    def __init__(self, specs) -> None:
        self.specs = specs
        self.contexts = []

    def __enter__(self):
        for argv, env, log in self.specs:
            ctx = procs.started(argv, env, log)
            ctx.__enter__()
            self.contexts.append(ctx)
        return self

    def __exit__(self, *exc) -> None:
        for ctx in reversed(self.contexts):
            ctx.__exit__(None, None, None)

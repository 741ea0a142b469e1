"""The background worker: fires due timers, starts scheduled work, escalates passed deadlines.

Any number of workers may run against PostgreSQL: each due item is taken with a row lock that
other workers skip (FOR UPDATE SKIP LOCKED), and firing it is one transaction with the state it
produces, so a worker killed halfway leaves the item due for the next one: fired exactly once.
On SQLite one worker is enough (writers are serialized anyway).
"""
from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.service import CaseEngine


@dataclass
class WorkerStats:
    rounds: int = 0
    fired: int = 0
    errors: list[str] = field(default_factory=list)


class Worker:
    def __init__(self, engine: CaseEngine, batch: int = 100, interval: float = 5.0,
                 report: Callable[[str], None] | None = None) -> None:
        self.engine = engine
        self.batch = batch
        self.interval = interval
        self.report = report or (lambda _line: None)
        self.stopping = False

    def stop(self, *_args: object) -> None:
        self.stopping = True

    def run_once(self, stats: WorkerStats | None = None) -> int:
        """Work through everything due now, batch after batch; returns how many items fired."""
        stats = stats or WorkerStats()
        total = 0
        while not self.stopping:
            try:
                done = self.engine.run_due(limit=self.batch)
            except Exception as exc:  # noqa: BLE001 - one bad item must not stop the worker
                stats.errors.append(str(exc).splitlines()[0])
                self.report(f"fout: {stats.errors[-1]}")
                break
            total += done
            if done == 0:
                break
        stats.fired += total
        stats.rounds += 1
        return total

    def run_forever(self) -> WorkerStats:
        stats = WorkerStats()
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while not self.stopping:
            fired = self.run_once(stats)
            if fired:
                self.report(f"{fired} afgehandeld")
            slept = 0.0
            while slept < self.interval and not self.stopping:
                time.sleep(0.2)
                slept += 0.2
        return stats

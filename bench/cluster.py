"""Cluster: 2 web processes (gunicorn -w 2) and 2 `trede worker` processes on one PostgreSQL.

On the run's generated data set: timer cases are added that fall due together, and from that
moment the load client completes tasks over HTTP while both workers fire the timers. Measured:
completions per second and latency under that mix, how long until every timer fired, duplicates.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench import http_load, procs, timers
from bench.pgdata import DataSet
from engine.storage.db import make_db_engine

CLUSTER_GEMEENTE = "gemeente02"  # another gemeente than the http group's: its tasks are still open


@dataclass
class ClusterResult:
    load: http_load.LoadResult
    timers: timers.TimerResult


def run(data: DataSet, completions: int, timer_cases: int, threads: int, max_seconds: float, log_dir: Path,
        lead: float) -> ClusterResult:
    db = make_db_engine(data.url)
    try:
        tasks = http_load.open_tasks(db, CLUSTER_GEMEENTE, completions + threads)
        token = http_load.issue_token(db, CLUSTER_GEMEENTE, "bench-cluster")
    finally:
        db.dispose()
    outcome: dict[str, http_load.LoadResult] = {}
    with procs.gunicorn(data.url, data.seal_key, workers=2, log=log_dir / "cluster-gunicorn.log") as base:
        def load() -> None:
            outcome["load"] = http_load.run(base, token, tasks, threads, warmup=threads,
                                            max_seconds=max_seconds)

        fired = timers.fire(data.url, data.seal_key, timer_cases, workers=2, interval=0.5,
                            max_seconds=max_seconds, log_dir=log_dir, lead=lead, during=load)
    return ClusterResult(outcome["load"], fired)

"""The scale groups of ``python -m bench``: gen, worklist, http, timers, replay, cluster.

Each function runs one group, adds its figures to the report and returns what goes into
``_meta`` for it. PostgreSQL groups share one generated data set per run (``bench.pgdata``).
"""
from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from bench import cluster, http_load, replay, timers, worklist_page, worklist_scale
from bench.pgdata import SharedData
from bench.stats import Samples, percentile
from engine.audit.seal import Sealer
from engine.service import CaseEngine
from engine.storage.db import make_db_engine


@dataclass(frozen=True)
class ScaleSizes:
    gen_cases: int
    gen_variants: int
    verify_sample: int
    worklist_reps: int
    http_completions: int
    http_threads: int
    timer_cases: int
    timer_lead_s: float  # how far ahead the timers fall due: time to generate them first
    replay_cases: int
    replay_variants: int
    cluster_completions: int
    cluster_timers: int
    max_seconds: float  # bound on every load loop and on waiting for timers


FULL = ScaleSizes(gen_cases=100_000, gen_variants=20, verify_sample=20, worklist_reps=100,
                  http_completions=3000, http_threads=4, timer_cases=10_000, timer_lead_s=40,
                  replay_cases=1000, replay_variants=10, cluster_completions=1500, cluster_timers=2000,
                  max_seconds=90)
QUICK = ScaleSizes(gen_cases=300, gen_variants=1, verify_sample=5, worklist_reps=6, http_completions=30,
                   http_threads=2, timer_cases=100, timer_lead_s=6, replay_cases=20, replay_variants=1,
                   cluster_completions=20, cluster_timers=50, max_seconds=30)

HTTP_GEMEENTE = "gemeente01"
_COUNT_TASKS = text("SELECT count(*) FROM work_items")


def _put_samples(figures: dict, key: str, samples: Samples) -> None:
    figures[f"{key}_median_ms"] = round(samples.median_ms(), 3)
    figures[f"{key}_p95_ms"] = round(samples.p95_ms(), 3)


def run_gen(figures: dict, data: SharedData, sizes: ScaleSizes) -> dict:
    ds = data.get()
    g = ds.generated
    figures.update(gen_cases=g.cases, gen_cases_per_s=round(g.cases_per_s, 1),
                   gen_seconds=round(g.seconds, 1), gen_template_cases=len(g.templates),
                   gen_template_seconds=round(g.template_seconds, 1),
                   gen_events=g.rows["events"], gen_open_tasks=g.rows["work_items"])
    engine = CaseEngine(make_db_engine(ds.url), sealer=Sealer(ds.seal_key))
    try:
        sample = random.Random(7).sample(range(g.first_case_id, g.first_case_id + g.cases),
                                         min(sizes.verify_sample, g.cases))
        figures["gen_verified_ok"] = sum(engine.verify(case_id).ok for case_id in sample)
        figures["gen_continued_ok"] = sum(_continue(engine, case_id) for case_id in sample[:5])
    finally:
        engine.db.dispose()
    return {"shapes": sorted({t.shape for t in g.templates}), "rows": g.rows}


def _continue(engine: CaseEngine, case_id: int) -> bool:
    """The engine takes a further step in a generated case, and the case still verifies."""
    items = [t for t in engine.ready_tasks(case_id=case_id) if t.task_name in http_load.TASK_DATA]
    if not items:
        return False
    item = items[0]
    engine.complete(item.task_id, http_load.TASK_DATA[item.task_name], actor=item.claimed_by or "bench")
    return engine.verify(case_id).ok


def run_worklist(figures: dict, data: SharedData, sizes: ScaleSizes) -> dict:
    ds = data.get()
    db = make_db_engine(ds.url)
    plans = {}
    try:
        with db.connect() as conn:
            figures["worklist_open_tasks"] = conn.execute(_COUNT_TASKS).scalar_one()
        # The indexes come with the migrations (0008); the page's own query is measured.
        now = worklist_scale.measure(db, sizes.worklist_reps)
        plans["current"] = {k: _plan(db, st) for k, st in now.slowest.items()}
    finally:
        db.dispose()
    figures["worklist_mine_tasks"] = now.rows_mine
    _put_samples(figures, "worklist_mine", now.mine)
    _put_samples(figures, "worklist_search", now.search)
    _put_samples(figures, "worklist_team", now.team)
    return {"plans": plans}


def run_page(figures: dict, data: SharedData, sizes: ScaleSizes) -> dict:
    """The whole worklist page through the Flask app (issue 4: < 300 ms server time at 10,000 tasks)."""
    result = worklist_page.measure(data.get().url, sizes.worklist_reps)
    figures["page_gemeente_open_tasks"] = result.open_tasks
    for view, samples in result.samples.items():
        _put_samples(figures, f"page_{view}", samples)
        figures[f"page_{view}_p99_ms"] = round(percentile(samples.ns, 99) / 1e6, 3)
    return {"gemeente": result.gemeente, "bytes_alle": result.bytes_alle}


def _plan(db, statement) -> dict:
    return {"ms": round(statement.ns / 1e6, 2), "sql": statement.sql, "params": repr(statement.params),
            "explain": worklist_scale.explain(db, statement)}


def run_http(figures: dict, data: SharedData, sizes: ScaleSizes, log_dir: Path) -> dict:
    from bench import procs

    ds = data.get()
    db = make_db_engine(ds.url)
    try:
        tasks = http_load.open_tasks(db, HTTP_GEMEENTE, sizes.http_completions + sizes.http_threads * 5)
        token = http_load.issue_token(db, HTTP_GEMEENTE)
    finally:
        db.dispose()
    with procs.gunicorn(ds.url, ds.seal_key, workers=2, log=log_dir / "http-gunicorn.log") as base:
        result = http_load.run(base, token, tasks, sizes.http_threads, warmup=sizes.http_threads * 5,
                               max_seconds=sizes.max_seconds)
    figures.update(http_completions=result.ok, http_errors=result.errors,
                   http_completions_per_s=round(result.per_second, 1))
    _put_samples(figures, "http_complete", result.latency)
    return {"threads": sizes.http_threads, "statuses": result.statuses, "seconds": round(result.seconds, 2)}


def _timer_figures(figures: dict, prefix: str, result: timers.TimerResult) -> None:
    figures[f"{prefix}_due"] = result.timers
    figures[f"{prefix}_fired"] = result.fired
    figures[f"{prefix}_duplicates"] = result.duplicates
    figures[f"{prefix}_all_fired_s"] = round(result.all_fired_s, 2)


def run_timers(figures: dict, base_url: str, sizes: ScaleSizes, log_dir: Path) -> dict:
    result = timers.run(base_url, sizes.timer_cases, workers=2, interval=0.5, max_seconds=sizes.max_seconds,
                        log_dir=log_dir, lead=sizes.timer_lead_s, verify_sample=sizes.verify_sample)
    _timer_figures(figures, "timers", result)
    spread = [int(s * 1e9) for s in result.spread_s] or [0]
    figures["timers_spread_p50_s"] = round(statistics.median(spread) / 1e9, 3)
    figures["timers_spread_p95_s"] = round(percentile(spread, 95) / 1e9, 3)
    figures["timers_spread_max_s"] = round(max(spread) / 1e9, 3)
    figures["timers_verified_ok"] = sizes.verify_sample - result.verify_failures
    at = result.at_spread_s or [0.0]
    return {"generated_before_due": result.generated_before_due, "worker_interval_s": 0.5,
            "event_at_minus_due_s": {"p50": round(statistics.median(at), 3), "max": round(max(at), 3)}}


def run_replay(figures: dict, sizes: ScaleSizes) -> dict:
    result = replay.run(sizes.replay_cases, sizes.replay_variants, profile_cases=min(100, sizes.replay_cases))
    figures.update(replay_cases=result.cases, replay_cli_cases_per_s=round(result.cli_cases_per_s, 1),
                   replay_cli_one_job_cases_per_s=round(result.cli_one_job_cases_per_s, 1),
                   replay_events=result.events)
    _put_samples(figures, "replay_case", result.per_case)
    return {"cli_ok": result.cli_ok, "cli_seconds": round(result.cli_seconds, 2),
            "cli_one_job_seconds": round(result.cli_one_job_seconds, 2), "profile": result.profile}


def run_cluster(figures: dict, data: SharedData, sizes: ScaleSizes, log_dir: Path) -> dict:
    result = cluster.run(data.get(), sizes.cluster_completions, sizes.cluster_timers, sizes.http_threads,
                         sizes.max_seconds, log_dir, lead=sizes.timer_lead_s / 2)
    figures.update(cluster_completions=result.load.ok, cluster_http_errors=result.load.errors,
                   cluster_completions_per_s=round(result.load.per_second, 1))
    _put_samples(figures, "cluster_complete", result.load.latency)
    _timer_figures(figures, "cluster_timers", result.timers)
    return {"statuses": result.load.statuses,
            "timers_generated_before_due": result.timers.generated_before_due}

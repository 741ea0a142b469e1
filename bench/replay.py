"""Replay: `trede verify --all` over generated cases on SQLite, as an operator runs it.

The cases come from the generator (mixed shapes, 5-25 events each). The command runs as a child
process with the run's seal key; its wall time (start-up included) gives cases per second. The
same verification in this process, case by case, gives a per-case median and p95 without the
start-up, and the share of the time each part of the replay takes (cProfile).
"""
from __future__ import annotations

import cProfile
import io
import os
import pstats
import secrets
import subprocess
import time
from dataclasses import dataclass

from bench import procs
from bench.databases import sqlite_database
from bench.generator import generate
from bench.stats import Samples
from engine.audit.seal import Sealer
from engine.service import CaseEngine
from engine.storage.db import make_db_engine


@dataclass
class ReplayResult:
    cases: int  # all cases in the database (templates included)
    events: int
    cli_seconds: float  # --jobs = the number of cores (the default from 200 cases on)
    cli_one_job_seconds: float  # --jobs 1: one process, the figure a one-core machine gets
    cli_ok: bool
    per_case: Samples
    profile: str

    @property
    def cli_cases_per_s(self) -> float:
        return self.cases / self.cli_seconds

    @property
    def cli_one_job_cases_per_s(self) -> float:
        return self.cases / self.cli_one_job_seconds


def run(cases: int, variants: int, profile_cases: int = 100) -> ReplayResult:
    key = secrets.token_bytes(32)
    with sqlite_database() as url:
        generated = generate(url, cases, key, variants=variants)
        env = procs.environment(url, key)
        command = [str(procs.VENV_BIN / "trede"), "verify", "--all", "--jobs", str(os.cpu_count() or 1)]
        began = time.perf_counter()
        proc = subprocess.run(command, cwd=procs.ROOT, env=env,
                              capture_output=True, text=True, timeout=1800)
        cli_seconds = time.perf_counter() - began
        began = time.perf_counter()
        one = subprocess.run(command[:-1] + ["1"], cwd=procs.ROOT, env=env,
                             capture_output=True, text=True, timeout=1800)
        cli_one_job_seconds = time.perf_counter() - began
        engine = CaseEngine(make_db_engine(url), sealer=Sealer(key))
        ids = engine.case_ids()
        per_case = Samples("verify")
        for case_id in ids[:profile_cases]:  # warm: specs parsed, page cache filled
            engine.verify(case_id)
        bad = 0
        for case_id in ids:
            bad += not per_case.timed(lambda c=case_id: engine.verify(c)).ok
        profiler = cProfile.Profile()
        profiler.enable()
        for case_id in ids[:profile_cases]:
            engine.verify(case_id)
        profiler.disable()
        events = sum(g for g in (generated.rows["events"],)) + sum(len(t.events) for t in generated.templates)
        engine.db.dispose()
    if bad:
        raise RuntimeError(f"{bad} generated cases failed verification")
    return ReplayResult(len(ids), events, cli_seconds, cli_one_job_seconds,
                        proc.returncode == 0 and one.returncode == 0 and not bad, per_case, _top(profiler))


def _top(profiler: cProfile.Profile, n: int = 18) -> str:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(n)
    return out.getvalue()

"""Where the time of an engine step goes, compared with the bare SpiffWorkflow step.

Runs the chain benchmark's steps with cProfile switched on only around the measured call
(``CaseEngine.complete`` on one side, the bare step on the other), so setup and worklist reads do
not leak in. Parts are the cumulative time of named functions; some nest (the commit is inside
"all SQL"). cProfile's own overhead inflates call-heavy code (SpiffWorkflow, SQLAlchemy), so read
the shares, not the milliseconds.
"""
from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import engine_step
from bench.bundle import KETEN_STEPS, case_engine
from bench.stats import Samples

Key = tuple[str, int, str]
REPO = str(Path(__file__).resolve().parent.parent) + "/"


@dataclass(frozen=True)
class Part:
    label: str
    file: str  # suffix of the file name; "~" for C functions
    func: str  # function name (for C functions: a substring of cProfile's description)
    caller: str | None = None  # count only calls made directly by a function of this name


@dataclass
class ProfiledSamples(Samples):
    """Samples whose measured call runs under the profiler (durations are not kept)."""

    profiler: cProfile.Profile = field(default_factory=cProfile.Profile)

    def timed(self, step: Callable[[], object]) -> object:
        self.profiler.enable()
        try:
            return step()
        finally:
            self.profiler.disable()


# The work both sides do, side by side: (label, engine part, bare part).
SHARED_PARTS = [
    ("deserialize", Part("", "engine/storage/state.py", "load_state"),
     Part("", "serializer/workflow.py", "deserialize_json")),
    ("user task.run()", Part("", "SpiffWorkflow/task.py", "run", caller="act"),
     Part("", "SpiffWorkflow/task.py", "run", caller="_step")),
    ("do_engine_steps() (script, gateway)", Part("", "bpmn/workflow.py", "do_engine_steps"),
     Part("", "bpmn/workflow.py", "do_engine_steps")),
    ("serialize", Part("", "engine/storage/state.py", "dump_state"),
     Part("", "serializer/workflow.py", "serialize_json")),
]

# What only the engine does.
ENGINE_PARTS = [
    Part("load+run+dump incl. sandbox set-up (Runtime.advance)", "engine/runtime.py", "advance"),
    Part("  sandboxed script engine built per step", "engine/runtime.py", "script_engine"),
    Part("state_hash (sha256 of the state)", "engine/storage/state.py", "state_hash"),
    Part("worklist row writes (work_item_writes)", "engine/worklist.py", "work_item_writes"),
    Part("wait row writes (wait_writes)", "engine/worklist.py", "wait_writes"),
    Part("event and head (journal.append_writes)", "engine/audit/journal.py", "append_writes"),
    Part("  event payload to JSON (data_to_json)", "engine/storage/state.py", "data_to_json"),
    Part("locking read: case, item, instance (_lock_task)", "engine/steps.py", "_lock_task"),
    Part("the step's writes sent (step_writes.run)", "engine/storage/step_writes.py", "run"),
    Part("process version lookup (get_version)", "engine/models/versions.py", "get_version"),
    Part("SQLAlchemy Connection.execute (all SQL)", "sqlalchemy/engine/base.py", "execute"),
    Part("  sqlite3 cursor.execute (driver only)", "~", "'execute' of 'sqlite3.Cursor'"),
    Part("  psycopg cursor.execute (driver only)", "psycopg/cursor.py", "execute"),
    Part("transaction begin (BEGIN IMMEDIATE)", "engine/storage/db.py", "_sqlite_begin_immediate"),
    Part("commit (driver)", "~", "'commit' of 'sqlite3.Connection'"),
    Part("commit (driver)", "psycopg/connection.py", "commit"),
    Part("connection checkout (pool)", "sqlalchemy/pool/base.py", "_checkout"),
]


def _matches(key: Key, part: Part) -> bool:
    file, _, func = key
    if part.file == "~":
        return file == "~" and part.func in func
    return file.endswith(part.file) and func == part.func


def cumulative_ms(stats: pstats.Stats, part: Part) -> float:
    """Cumulative time of the part's function(s); with ``caller``, only calls from that function."""
    total = 0.0
    for key, (_, _, _, cum, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if not _matches(key, part):
            continue
        if part.caller is None:
            total += cum
        else:
            total += sum(v[3] for k, v in callers.items() if k[2] == part.caller)
    return total * 1000


def calls(stats: pstats.Stats, part: Part) -> int:
    return sum(v[1] for k, v in stats.stats.items() if _matches(k, part))  # type: ignore[attr-defined]


def profile_steps(url: str, rounds: int) -> tuple[pstats.Stats, pstats.Stats, int]:
    """Profile ``rounds`` chains of engine steps and of bare steps; returns both stats and the steps."""
    engine_samples = ProfiledSamples("engine")
    bare_samples = ProfiledSamples("bare")
    engine_side = engine_step.EngineSide(case_engine(url), engine_samples)
    bare_side = engine_step.BareSide(bare_samples)
    for _ in range(rounds):
        engine_side.new_round()
        bare_side.new_round()
        for _ in range(KETEN_STEPS):
            engine_side.step()
            bare_side.step()
    engine_side.engine.db.dispose()
    steps = rounds * KETEN_STEPS
    return pstats.Stats(engine_samples.profiler), pstats.Stats(bare_samples.profiler), steps


def report(url: str, rounds: int, top: int = 25) -> str:
    engine_stats, bare_stats, steps = profile_steps(url, rounds)
    engine_total = cumulative_ms(engine_stats, Part("", "engine/service.py", "complete")) / steps
    bare_total = cumulative_ms(bare_stats, Part("", "bench/engine_step.py", "_step")) / steps
    statements = calls(engine_stats, Part("", "sqlalchemy/engine/base.py", "_exec_single_context")) / steps
    lines = [
        f"Profile of {steps} steps under cProfile (ms per step; parts may nest)",
        f"  engine step (CaseEngine.complete) {engine_total:7.3f} ms, {statements:.1f} SQL statements",
        f"  bare step                         {bare_total:7.3f} ms",
        "",
        f"  {'both sides':<52} {'engine':>8} {'%':>6} {'bare':>8} {'%':>6}",
    ]
    for label, engine_part, bare_part in SHARED_PARTS:
        e = cumulative_ms(engine_stats, engine_part) / steps
        b = cumulative_ms(bare_stats, bare_part) / steps
        lines.append(f"  {label:<52} {e:8.3f} {_pct(e, engine_total)} {b:8.3f} {_pct(b, bare_total)}")
    lines += ["", f"  {'engine only':<52} {'engine':>8} {'%':>6}"]
    for part in ENGINE_PARTS:
        ms = cumulative_ms(engine_stats, part) / steps
        if ms > 0:
            lines.append(f"  {part.label:<52} {ms:8.3f} {_pct(ms, engine_total)}")
    lines += ["", f"  top {top} functions of the engine step by own time:", _top(engine_stats, top)]
    return "\n".join(lines)


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:5.1f}%"


def _top(stats: pstats.Stats, top: int) -> str:
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    out = []
    for (file, line, func), (_, ncalls, own, cum, _) in rows:
        where = func if file == "~" else f"{_short(file)}:{line}({func})"
        out.append(f"    {100 * own / total:5.1f}%  own {own * 1000:8.1f} ms  cum {cum * 1000:8.1f} ms  "
                   f"{ncalls:7d} calls  {where}")
    return "\n".join(out)


def _short(path: str) -> str:
    for marker in ("site-packages/", REPO):
        if marker in path:
            return path.split(marker, 1)[1]
    return path

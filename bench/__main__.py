"""python -m bench [--quick] [--only PARTS] [--out PATH]   (PARTS: see bench/README.md)

Measures, never asserts: every figure is printed and written to the results file, each ratio on a
line of its own with its target. Missing a target is reported, not turned into a failing exit code.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench import case_age, engine_step, profiling, scale
from bench.databases import postgres_reachable, postgres_schema, postgres_url, sqlite_database
from bench.pgdata import shared_data
from bench.procs import gunicorn_missing
from bench.stats import Samples, ratio_of_medians

DEFAULT_OUT = Path(__file__).parent / "results.json"
PARTS = ("step", "age", "profile", "stepsql", "gen", "worklist", "page", "http", "timers", "replay",
         "cluster")
DEFAULT_PARTS = "step,age,gen,worklist,page,http,timers,replay,cluster"
# Groups that need PostgreSQL (and, for http and cluster, gunicorn); replay runs on SQLite.
PG_GROUPS = ("gen", "worklist", "page", "http", "timers", "cluster")


@dataclass(frozen=True)
class Sizes:
    """How many repetitions: few with --quick (the smoke test), enough for stable medians else."""

    step_rounds: int  # chains of six steps per side, per database
    age_old_cases: int
    age_reps: int
    profile_rounds: int
    scale: scale.ScaleSizes


FULL = Sizes(step_rounds=150, age_old_cases=40, age_reps=200, profile_rounds=40, scale=scale.FULL)
QUICK = Sizes(step_rounds=2, age_old_cases=2, age_reps=4, profile_rounds=2, scale=scale.QUICK)

TARGETS = {
    "engine_step_vs_bare_sqlite": 1.5,
    "engine_step_vs_bare_postgres": 2.5,
    "old_case_vs_new_case_sqlite": 1.25,
}
# Scale figures with a target: (key, target, True when higher is better).
SCALE_TARGETS = [
    ("gen_cases_per_s", 100_000 / 300, True),  # 100,000 cases in 5 minutes
    ("worklist_mine_p95_ms", 25, False),
    ("worklist_search_p95_ms", 50, False),
    ("page_mijn_p95_ms", 300, False),  # issue 4: the whole worklist page, server side
    ("page_team_p95_ms", 300, False),
    ("page_alle_p95_ms", 300, False),
    ("http_completions_per_s", 200, True),
    ("timers_all_fired_s", 60, False),
    ("replay_cli_cases_per_s", 300, True),  # issue 16 item 5
]


class Report:
    """Collects figures, prints the table rows and ratio lines, and holds what goes to the file."""

    def __init__(self) -> None:
        self.figures: dict[str, float] = {}
        self.rows: list[tuple[str, Samples]] = []
        self.ratio_lines: list[str] = []

    def add_samples(self, label: str, key_prefix: str, samples: Samples) -> None:
        self.rows.append((label, samples))
        self.figures[f"{key_prefix}_median_ms"] = round(samples.median_ms(), 4)
        self.figures[f"{key_prefix}_p95_ms"] = round(samples.p95_ms(), 4)

    def add_ratio(self, key: str, subject: Samples, baseline: Samples) -> None:
        ratio = ratio_of_medians(subject, baseline)
        self.figures[key] = round(ratio, 4)
        target = TARGETS[key]
        verdict = "" if ratio <= target else "  <-- above target"
        self.ratio_lines.append(f"{key}: {ratio:.2f}x (target <= {target}x){verdict}")

    def table(self) -> str:
        lines = [f"{'step':<44} {'median ms':>10} {'p95 ms':>10} {'samples':>8}"]
        for label, s in self.rows:
            lines.append(f"{label:<44} {s.median_ms():>10.3f} {s.p95_ms():>10.3f} {len(s.ns):>8d}")
        return "\n".join(lines)


def run_step(report: Report, url: str, db_name: str, rounds: int) -> None:
    result = engine_step.run(url, rounds)
    report.add_samples(f"engine step, CaseEngine.complete ({db_name})", f"engine_step_{db_name}",
                       result.engine)
    report.add_samples(f"bare SpiffWorkflow step (with {db_name} run)", f"bare_step_{db_name}",
                       result.bare)
    report.add_ratio(f"engine_step_vs_bare_{db_name}", result.engine, result.bare)
    report.figures[f"engine_step_statements_{db_name}"] = round(result.statements, 2)
    if db_name == "postgres":
        report.figures["engine_step_round_trips_postgres"] = round(result.round_trips, 2)


def run_age(report: Report, url: str, sizes: Sizes) -> None:
    result = case_age.run(url, sizes.age_old_cases, sizes.age_reps)
    report.add_samples("step in a new instance of a 4-year-old case", "old_case_step_sqlite", result.old)
    report.add_samples("same step in a brand-new case", "new_case_step_sqlite", result.new)
    report.figures["old_case_instances"] = result.old_case_instances
    report.figures["old_case_events"] = result.old_case_events
    report.add_ratio("old_case_vs_new_case_sqlite", result.old, result.new)


def run_postgres(report: Report, sizes: Sizes) -> str:
    """The step benchmark on PostgreSQL when it answers; returns what happened, for the results file."""
    base = postgres_url()
    reason = postgres_reachable(base)
    if reason is not None:
        print(f"PostgreSQL not reachable at {base} ({reason}): skipped", file=sys.stderr)
        return f"skipped: {reason}"
    try:
        with postgres_schema(base) as url:
            run_step(report, url, "postgres", sizes.step_rounds)
    except Exception as exc:  # noqa: BLE001 - report it, keep the SQLite figures, fail the exit code
        traceback.print_exc()
        return f"failed: {str(exc).splitlines()[0]}"
    return "measured"


def scale_lines(figures: dict) -> list[str]:
    lines = []
    for key, target, higher in SCALE_TARGETS:
        if key in figures:
            value = figures[key]
            missed = value < target if higher else value > target
            sign = ">=" if higher else "<="
            flag = "  <-- misses target" if missed else ""
            lines.append(f"{key}: {value:g} (target {sign} {target:g}){flag}")
    for key in ("timers_duplicates", "cluster_timers_duplicates"):
        if key in figures:
            flag = "  <-- misses target" if figures[key] else ""
            lines.append(f"{key}: {figures[key]} (target 0){flag}")
    return lines


def run_scale(args: argparse.Namespace, sizes: Sizes, report: Report) -> dict[str, object]:
    """The scale groups chosen with --only; returns their _meta entries (status and details)."""
    groups: dict[str, object] = {}
    wanted = [g for g in PARTS if g in args.only and g in PG_GROUPS + ("replay",)]
    if not wanted:
        return groups
    base = postgres_url()
    unreachable = postgres_reachable(base)
    no_gunicorn = gunicorn_missing()
    log_dir = Path(tempfile.mkdtemp(prefix="trede-bench-logs-"))
    s = sizes.scale
    with shared_data(base, s.gen_cases, s.gen_variants) as data:
        steps = {
            "gen": lambda: scale.run_gen(report.figures, data, s),
            "worklist": lambda: scale.run_worklist(report.figures, data, s),
            "page": lambda: scale.run_page(report.figures, data, s),
            "http": lambda: scale.run_http(report.figures, data, s, log_dir),
            "timers": lambda: scale.run_timers(report.figures, base, s, log_dir),
            "replay": lambda: scale.run_replay(report.figures, s),
            "cluster": lambda: scale.run_cluster(report.figures, data, s, log_dir),
        }
        for group in wanted:
            if group in PG_GROUPS and unreachable is not None:
                groups[group] = {"status": f"skipped: PostgreSQL not reachable ({unreachable})"}
                continue
            if group in ("http", "cluster") and no_gunicorn is not None:
                groups[group] = {"status": f"skipped: {no_gunicorn}"}
                continue
            print(f"-- {group} ...", file=sys.stderr, flush=True)
            try:
                details = steps[group]()
                groups[group] = {"status": "measured", **(details or {})}
            except Exception as exc:  # noqa: BLE001 - report it, keep the other groups' figures
                traceback.print_exc()
                groups[group] = {"status": f"failed: {str(exc).splitlines()[0] if str(exc) else exc!r}",
                                 "logs": str(log_dir)}
    return groups


def meta(args: argparse.Namespace, sizes: Sizes, postgres: str) -> dict:
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "parts": args.only,
        "sizes": {**sizes.__dict__, "scale": sizes.scale.__dict__},
        "postgres": postgres,
        "python": platform.python_version(),
        "spiffworkflow": version("SpiffWorkflow"),
        "sqlalchemy": version("SQLAlchemy"),
        "machine": f"{platform.machine()} {os.cpu_count()} cpus {platform.system()}",
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke test)")
    parser.add_argument("--only", default=DEFAULT_PARTS,
                        help=f"comma-separated parts out of {','.join(PARTS)} (default {DEFAULT_PARTS})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file (JSON)")
    args = parser.parse_args(argv)
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    report = Report()
    postgres = "not run (--only)"
    if "step" in args.only:
        with sqlite_database() as url:
            run_step(report, url, "sqlite", sizes.step_rounds)
        postgres = run_postgres(report, sizes)
    if "age" in args.only:
        with sqlite_database() as url:
            run_age(report, url, sizes)
    groups = run_scale(args, sizes, report)
    if report.figures:
        print(report.table())
        print()
        print("\n".join(report.ratio_lines + scale_lines(report.figures)))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        results = {**report.figures, "_meta": {**meta(args, sizes, postgres), "groups": groups}}
        args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"\nresults written to {args.out}")
    if "profile" in args.only:
        run_profiles(sizes)
    if "stepsql" in args.only and postgres_reachable(postgres_url()) is None:
        from bench import step_sql  # design measurement, printed only (like profile)

        print("\n" + step_sql.report(postgres_url(), 30 if args.quick else 500))
    failed = postgres.startswith("failed") or any(
        str(g.get("status", "")).startswith("failed") for g in groups.values() if isinstance(g, dict))
    return 1 if failed else 0


def run_profiles(sizes: Sizes) -> None:
    """Print where an engine step's time goes, on SQLite and, when it answers, on PostgreSQL."""
    with sqlite_database() as url:
        print("\n== SQLite ==")
        print(profiling.report(url, sizes.profile_rounds))
    base = postgres_url()
    if postgres_reachable(base) is None:
        with postgres_schema(base) as url:
            print("\n== PostgreSQL ==")
            print(profiling.report(url, sizes.profile_rounds))


if __name__ == "__main__":
    sys.exit(main())

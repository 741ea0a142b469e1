"""`python -m bench --quick` runs and writes every documented figure (it checks that the benchmark
runs, never how fast anything is)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
# Scale groups (issue 9): their keys are written only when the group says "measured".
GROUPS = ("gen", "worklist", "page", "http", "timers", "replay", "cluster")


def documented_keys() -> dict[str, tuple[bool, bool]]:
    """Keys of the results table in bench/README.md -> (needs PostgreSQL, may be zero)."""
    keys = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([a-z0-9_]+)`\s*\|", line)
        if match:
            keys[match.group(1)] = ("PostgreSQL only" in line, "may be 0" in line)
    return keys


def group_of(key: str) -> str | None:
    return next((g for g in GROUPS if key.startswith(f"{g}_")), None)


def test_readme_documents_the_figures():
    keys = documented_keys()
    assert "engine_step_vs_bare_sqlite" in keys and "old_case_vs_new_case_sqlite" in keys
    assert keys["engine_step_vs_bare_postgres"][0] is True
    assert {group_of(k) for k in keys} >= set(GROUPS)  # every scale group documents its figures


def test_quick_bench_writes_every_documented_key(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text())
    assert "engine_step_vs_bare_sqlite: " in proc.stdout
    postgres_measured = results["_meta"]["postgres"] == "measured"
    groups = results["_meta"]["groups"]
    assert groups["replay"]["status"] == "measured"  # SQLite only: runs everywhere
    assert not [g for g, v in groups.items() if v["status"].startswith("failed")], groups
    expected = set()
    for key, (needs_pg, _) in documented_keys().items():
        group = group_of(key)
        if group is not None:
            if groups.get(group, {}).get("status") == "measured":
                expected.add(key)
        elif postgres_measured or not needs_pg:
            expected.add(key)
    figures = {key for key in results if key != "_meta"}
    assert figures == expected
    zero_ok = {key for key, (_, may_be_zero) in documented_keys().items() if may_be_zero}
    for key in figures:
        value = results[key]
        assert isinstance(value, int | float), (key, value)
        assert value > 0 or (key in zero_ok and value == 0), (key, value)

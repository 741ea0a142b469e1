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


def documented_keys() -> dict[str, bool]:
    """Keys of the results table in bench/README.md -> whether they need PostgreSQL."""
    keys = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([a-z0-9_]+)`\s*\|", line)
        if match:
            keys[match.group(1)] = "PostgreSQL only" in line
    return keys


def test_readme_documents_the_figures():
    keys = documented_keys()
    assert "engine_step_vs_bare_sqlite" in keys and "old_case_vs_new_case_sqlite" in keys
    assert keys["engine_step_vs_bare_postgres"] is True


def test_quick_bench_writes_every_documented_key(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text())
    assert "engine_step_vs_bare_sqlite: " in proc.stdout
    postgres_measured = results["_meta"]["postgres"] == "measured"
    expected = {key for key, needs_pg in documented_keys().items() if postgres_measured or not needs_pg}
    figures = {key for key in results if key != "_meta"}
    assert figures == expected
    for key in figures:
        assert isinstance(results[key], int | float) and results[key] > 0, (key, results[key])

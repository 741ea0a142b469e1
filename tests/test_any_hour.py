"""The suite's result does not depend on the hour or the time zone it runs in.

A sample of the time-sensitive tests runs in a pytest subprocess with the machine in another time
zone (Pacific/Kiritimati, UTC+14: its date is ahead of Amsterdam's all day) and the wall clock
moved (tests/any_hour.py, time-machine) to two moments: 23:30 UTC, the hour in which the UTC date
is a day behind Amsterdam's (the casefiles tests used to fail then), and just before midnight in
Amsterdam. SQLite only: the hour is what is tested here, not the database.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.database  # runs database tests, in a subprocess

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = [
    "tests/web/test_casefiles.py",
    "tests/web/test_worklist.py",
    "tests/web/test_termijnbewaking.py",
    "tests/web/test_signin_hardening.py",
    "tests/audit/test_processing_log.py",
    "tests/audit/test_log_chain.py",
    "tests/engine/test_deadlines.py",
]
MOMENTS = {
    "23:30 UTC": "2026-12-07T23:30:00+00:00",  # 00:30 on the 8th in Amsterdam
    "23:50 Amsterdam": "2026-12-07T22:50:00+00:00",
}


@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_the_time_sensitive_tests_pass_late_in_the_evening_in_another_time_zone(moment):
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "TREDE_TEST_TRAVEL_TO": moment}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           "-m", "not postgres", *SAMPLE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-6000:]
    assert f"travelled to {moment}" in done.stdout and "TZ=Pacific/Kiritimati" in done.stdout

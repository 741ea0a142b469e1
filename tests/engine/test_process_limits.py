"""Issue 8.4: memory limits on the worker processes (`trede worker`, gunicorn's web workers).

Real processes: the limit is read back from /proc/<pid>/limits, and an allocation past it is shown
to raise MemoryError inside the process, which goes on running.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.database  # its own SQLite file, trede in subprocesses

ROOT = Path(__file__).parent.parent.parent
TREDE = [sys.executable, "-m", "cli.main"]
MB = 1024 * 1024


def address_space_limit(pid: int) -> int | None:
    """The soft 'Max address space' of a running process in bytes; None when unlimited."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            soft = re.split(r"\s{2,}", line)[1]
            return None if soft == "unlimited" else int(soft)
    raise AssertionError("no address-space line in /proc limits")


def wait_for(check, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture
def sqlite_env(tmp_path) -> dict[str, str]:
    env = {**os.environ, "TREDE_DATABASE_URL": f"sqlite:///{tmp_path / 'limits.db'}"}
    env.pop("TREDE_PROCESS_MEMORY_MB", None)
    done = subprocess.run([*TREDE, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return env


def test_trede_worker_runs_under_the_memory_ceiling_it_was_given(sqlite_env):
    worker = subprocess.Popen([*TREDE, "worker", "--interval", "1", "--memory-mb", "700"], cwd=ROOT,
                              env=sqlite_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: address_space_limit(worker.pid) == 700 * MB)
        assert worker.poll() is None  # and it keeps running under it
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_trede_worker_takes_its_default_ceiling_from_the_environment(sqlite_env):
    env = {**sqlite_env, "TREDE_PROCESS_MEMORY_MB": "900"}
    worker = subprocess.Popen([*TREDE, "worker", "--interval", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: address_space_limit(worker.pid) == 900 * MB)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_a_wrong_ceiling_is_named_without_a_traceback(sqlite_env):
    env = {**sqlite_env, "TREDE_PROCESS_MEMORY_MB": "veel"}
    done = subprocess.run([*TREDE, "worker", "--once"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "TREDE_PROCESS_MEMORY_MB" in done.stderr and "Traceback" not in done.stderr


def test_past_the_ceiling_an_allocation_fails_and_the_process_goes_on():
    script = (
        "from engine.sandbox.process_limits import limit_process_memory\n"
        "limit_process_memory(400)\n"
        "try:\n"
        "    block = bytearray(600 * 1024 * 1024)\n"
        "    print('allocated')\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
        "small = bytearray(10 * 1024 * 1024)\n"
        "print('still running', len(small))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["MemoryError", f"still running {10 * MB}"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_gunicorn_web_workers_get_the_ceiling_after_the_fork(sqlite_env):
    env = {**sqlite_env, "TREDE_PROCESS_MEMORY_MB": "1200"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "-c", "python:web.gunicorn_conf", "-w", "2",
                               "-b", f"127.0.0.1:{_free_port()}", "web.app:create_app()"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        workers = wait_for(lambda: len(_children(server.pid)) == 2 and _children(server.pid))
        assert wait_for(lambda: all(address_space_limit(w) == 1200 * MB for w in workers))
        assert address_space_limit(server.pid) is None  # the arbiter itself is not capped
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

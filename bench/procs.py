"""Server and worker processes for the multi-process benchmarks: started, bounded, stopped by pid.

Everything listens on 127.0.0.1 only. Every process gets the run's database URL and seal key
through the environment (TREDE_DATABASE_URL, TREDE_SEAL_KEY), the way an operator would set them.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def gunicorn_missing() -> str | None:
    """None when gunicorn can be started; otherwise why not (it is a bench dependency, not a runtime one)."""
    if (VENV_BIN / "gunicorn").exists():
        return None
    return "gunicorn is not installed (pip install gunicorn)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(url: str, seal_key: bytes) -> dict[str, str]:
    # gunicorn is production to trede: it needs a session key (any will do for a benchmark)
    return {"TREDE_SECRET_KEY": "bench-only", **os.environ, "TREDE_DATABASE_URL": url,
            "TREDE_SEAL_KEY": seal_key.hex(), "PYTHONPATH": str(ROOT)}


@contextmanager
def started(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A child process in a session of its own, stopped (TERM, then KILL after 10 s) on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # its own session: gunicorn's workers go with it
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def gunicorn(url: str, seal_key: bytes, workers: int, log: Path) -> Iterator[str]:
    """``gunicorn -w N`` serving ``web.app:create_app()`` on a free loopback port; yields its base URL."""
    port = free_port()
    argv = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
            "--timeout", "60", "--graceful-timeout", "5", "web.app:create_app()"]
    with started(argv, environment(url, seal_key), log) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/api/openapi.json", proc, log)
        yield base


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server stopped at start-up: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {timeout:.0f} s")


def trede_worker_argv(interval: float, batch: int) -> list[str]:
    return [str(VENV_BIN / "trede"), "worker", "--interval", str(interval), "--batch", str(batch)]

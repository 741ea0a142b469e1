"""A production install runs: `pip install .` without the dev extras serves the app and runs the worker.

The virtualenv with the plain install's dependencies is kept in the temp directory, keyed by this
work tree and its pyproject.toml, so only a change of the declared dependencies builds it again;
trede itself is reinstalled from the source on every run (without dependencies, which are there).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[1]
PIP_TIMEOUT = 900


def _plain_venv_dir() -> Path:
    key = hashlib.sha256(str(ROOT).encode() + (ROOT / "pyproject.toml").read_bytes()
                         + sys.version.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"trede-plain-install-{key}"


def _pip(python: Path, *args: str) -> None:
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=PIP_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def plain_install() -> Path:
    """The bin/ directory of a virtualenv holding `pip install .` (no extras) of this source."""
    target = _plain_venv_dir()
    if not (target / ".complete").exists():
        building = Path(tempfile.mkdtemp(prefix="trede-plain-build-"))
        shutil.rmtree(building)
        venv.create(building, with_pip=True)
        _pip(building / "bin" / "python", ".")
        (building / ".complete").touch()
        shutil.rmtree(target, ignore_errors=True)
        building.rename(target)  # its scripts name the old path: trede is reinstalled below
    _pip(target / "bin" / "python", "--force-reinstall", "--no-deps", ".")  # this source, always
    return target / "bin"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "TREDE_DATABASE_URL": f"sqlite:///{tmp_path / 'trede.db'}",
            "TREDE_SESSION_COOKIE_SECURE": "0"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, until: float) -> int:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > until:
                raise
            time.sleep(0.3)


def test_the_plain_install_has_no_dev_tools(plain_install):
    found = subprocess.run([str(plain_install / "python"), "-c", "import pytest"], capture_output=True)
    assert found.returncode != 0  # so what follows really runs without the dev extras


def test_the_plain_install_migrates_serves_the_sign_in_page_and_runs_the_worker(plain_install, tmp_path):
    env = _env(tmp_path)  # cwd tmp_path: the source tree is not importable, key files land there
    upgrade = subprocess.run([str(plain_install / "trede"), "db", "upgrade"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr

    port = _free_port()
    server = subprocess.Popen([str(plain_install / "trede"), "serve", "--port", str(port)], cwd=tmp_path,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status = _get(f"http://127.0.0.1:{port}/login", until=time.monotonic() + 60)
    except Exception:
        server.kill()
        raise AssertionError(server.communicate(timeout=10)[0]) from None
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert status == 200

    worker = subprocess.run([str(plain_install / "trede"), "worker", "--once"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert worker.returncode == 0, worker.stderr
    assert worker.stdout.startswith("afgehandeld:")

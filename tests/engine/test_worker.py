"""Workers fire every due timer exactly once, even when killed or when two run at once (issue 5)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.storage.db import events, read_only, waits
from tests.engine.helpers import TEST_SEALER_HEX, make_engine, model_files

ROOT = Path(__file__).parent.parent.parent


def _due_set(db, n: int):
    """n cases, each with a timer that fell due long ago (the test clock starts in January 2026)."""
    engine = make_engine(db)
    engine.deploy(model_files("wacht.bpmn"))
    for i in range(n):
        engine.start_case("woerden", "999990019", f"Inwoner {i}", "wacht", {})
    return engine


def _worker(db_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TREDE_DATABASE_URL": db_url, "TREDE_SEAL_KEY": TEST_SEALER_HEX}
    return subprocess.Popen([sys.executable, "-m", "cli.main", "worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _fired_per_instance(db) -> dict[int, int]:
    # A snapshot read (engine.storage.db.read_only): on SQLite a plain connection would queue for the write
    # lock behind the worker's steps and could see nothing until the worker had fired them all.
    with read_only(db).connect() as conn:
        rows = conn.execute(select(events.c.instance_id, func.count())
                            .where(events.c.kind == "timer_fired").group_by(events.c.instance_id)).all()
    return dict(rows)


def _due_left(db) -> int:
    with read_only(db).connect() as conn:
        query = select(func.count()).select_from(waits).where(waits.c.kind == "timer")
        return conn.execute(query).scalar_one()


def test_a_worker_killed_halfway_leaves_every_timer_fired_exactly_once(db, db_url):
    engine = _due_set(db, 300)
    worker = _worker(db_url, "--batch", "3", "--interval", "0.2")
    deadline = time.monotonic() + 60
    while sum(_fired_per_instance(db).values()) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)  # kill as soon as it is under way: 300 firings take far longer than this
    worker.send_signal(signal.SIGKILL)  # no clean shutdown: mid-batch, maybe mid-transaction
    worker.wait()
    assert 0 < sum(_fired_per_instance(db).values()) < 300
    rerun = _worker(db_url, "--once")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    fired = _fired_per_instance(db)
    assert len(fired) == 300 and set(fired.values()) == {1}
    assert _due_left(db) == 0
    assert all(engine.verify(case_id).ok for case_id in engine.case_ids()[:10])


@pytest.mark.postgres
def test_two_workers_on_postgresql_never_fire_twice(pg_db, pg_url):
    db = pg_db
    _due_set(db, 200)
    workers = [_worker(pg_url, "--once", "--batch", "10") for _ in range(2)]
    outputs = [w.communicate(timeout=180) for w in workers]
    assert all(w.returncode == 0 for w in workers), [o[1] for o in outputs]
    counts = [int(out.strip().rsplit(" ", 1)[-1]) for out, _ in outputs]
    assert sum(counts) == 200
    fired = _fired_per_instance(db)
    assert len(fired) == 200 and set(fired.values()) == {1}
    assert _due_left(db) == 0

"""Issue 17: a `trede worker --once` and a `POST /api/timers/fire` that meet poisoned cases return
within the step bound, while a case of another gemeente completes a step meanwhile, on SQLite
(where the poisoned step held the write lock: every other write failed after 30 s) and PostgreSQL
(where each poisoned case took a worker out for good). Before the change neither call returned.
"""
from __future__ import annotations

import resource
import threading
import time
from datetime import timedelta

from engine.clock import FixedClock
from tests.engine.helpers import START, make_engine, model_files
from tests.engine.test_worker import _worker
from web.api.tokens import issue
from web.app import create_app

BOUND = 2.0  # CPU seconds per step, the engine's default (the worker's too)
# What the bound promises is CPU time: the wall clock of a shared 2-core test machine may run ten
# times slower. So the CPU is asserted tightly and the wall clock only as "it returned at all".
OVERHEAD_CPU = 6.0  # starting Python, imports, migrations check, rolling back ten million tasks
WALL = 240.0


def _poisoned_and_waiting(db):
    """An Apeldoorn case at its user task, then two poisoned cases in Woerden (a zero cycle computed
    from case data, ten million tasks) whose one-day wait falls due for the worker."""
    early = make_engine(db, clock=FixedClock(START - timedelta(days=2)))
    early.deploy(model_files("cyclus.bpmn", "veel.bpmn", "wacht.bpmn"))
    other, _ = early.start_case("apeldoorn", "999990027", "Piet Pietersen", "wacht", {})
    setup = make_engine(db)
    assert setup.run_due() == 1  # Apeldoorn's day is over: its task opens
    [task] = setup.ready_tasks(case_id=other.id)
    setup.start_case("woerden", "999990019", "Jan Jansen", "cyclus", {"cyclus": "R/PT0S"})
    setup.start_case("woerden", "999990019", "Jan Jansen", "veel", {"aantal": 10**7})
    return setup, other, task


def _complete_meanwhile(db, task, delay: float = 0.5) -> float:
    """Complete Apeldoorn's task while the other party works; returns how long it took."""
    time.sleep(delay)
    began = time.monotonic()
    make_engine(db).complete(task.task_id, {}, actor="cm.apeldoorn")
    return time.monotonic() - began


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_a_worker_meeting_poisoned_cases_returns_and_another_gemeente_goes_on(db, db_url):
    setup, other, task = _poisoned_and_waiting(db)
    cpu_before = _children_cpu()
    worker = _worker(db_url, "--once")
    took = _complete_meanwhile(db, task)
    out, err = worker.communicate(timeout=WALL)  # before: never (and the write lock held)
    assert worker.returncode == 0, err
    assert _children_cpu() - cpu_before < 2 * BOUND + OVERHEAD_CPU
    assert took < WALL / 4  # it waited for at most one bounded step, not for SQLite's 30 s and a failure
    assert setup.history(other.id)[-1].kind == "task_completed"
    found = {i.process_id: i for i in setup.incidents("woerden")}
    assert set(found) == {"cyclus", "veel"}
    assert "grens van 2 s CPU-tijd per stap" in found["veel"].error


def test_timers_fire_through_the_api_returns_within_the_bound(db, db_url):
    setup, other, task = _poisoned_and_waiting(db)
    later = FixedClock(START + timedelta(days=2))
    app = create_app({"DATABASE_URL": db_url, "CLOCK": later, "TESTING": True})
    token = issue(app.extensions["trede.engine"].db, "planner", "woerden", {"timers:run"}, START)
    answer: dict = {}

    def fire() -> None:
        began = time.thread_time()  # the request runs in this thread (Flask's test client)
        response = app.test_client().post("/api/timers/fire", headers=headers)
        answer.update(status=response.status_code, body=response.json, cpu=time.thread_time() - began)

    headers = {"Authorization": f"Bearer {token}"}
    caller = threading.Thread(target=fire)
    caller.start()
    took = _complete_meanwhile(db, task)
    caller.join(timeout=WALL)  # before: never; under gunicorn a 500 at its timeout, every call again
    assert not caller.is_alive()
    assert answer["status"] == 200 and answer["cpu"] < 2 * BOUND + OVERHEAD_CPU
    assert took < WALL / 4
    assert setup.history(other.id)[-1].kind == "task_completed"
    assert {i.process_id for i in setup.incidents("woerden")} == {"cyclus", "veel"}
    # The next call meets neither again: both are set aside.
    began = time.thread_time()
    again = app.test_client().post("/api/timers/fire", headers=headers)
    assert again.status_code == 200 and again.json == {"fired": 0}
    assert time.thread_time() - began < BOUND
    app.extensions["trede.engine"].db.dispose()

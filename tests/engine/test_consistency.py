"""Two people at once, failures halfway, and reloads never corrupt a case (issue 2, tests)."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from engine import worklist
from engine.errors import ConflictError, StepFailed
from engine.storage import step_writes
from engine.storage.db import events, instances, work_items
from tests.engine.helpers import make_engine, only_task, start_intake


def _snapshot(db):
    with db.connect() as conn:
        return (
            conn.execute(select(instances.c.state, instances.c.version)).all(),
            conn.execute(select(func.count()).select_from(events)).scalar_one(),
            conn.execute(select(work_items.c.task_id, work_items.c.claimed_by)).all(),
        )


def test_two_completes_of_one_task_exactly_one_wins(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def complete(actor: str, trede: int) -> None:
        barrier.wait()
        try:
            engine.complete(task.task_id, {"trede": trede}, actor=actor)
            outcomes.append(("ok", actor))
        except ConflictError as exc:
            outcomes.append(("conflict", str(exc)))

    threads = [threading.Thread(target=complete, args=(a, t)) for a, t in (("cm1", 2), ("cm2", 5))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "ok"]
    winner = next(who for kind, who in outcomes if kind == "ok")
    loser_message = next(msg for kind, msg in outcomes if kind == "conflict")
    assert "al afgerond" in loser_message
    completed = [e for e in engine.history(case.id) if e.kind == "task_completed"]
    assert len(completed) == 1 and completed[0].actor == winner


def test_stale_version_is_refused_and_changes_nothing(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    seen_version = task.case_version
    engine.claim(task.task_id, "cm1")  # someone else touches the case after we loaded it
    before = _snapshot(db)
    with pytest.raises(ConflictError, match="gewijzigd sinds u haar opende"):
        engine.complete(task.task_id, {"trede": 3}, actor="cm1", expected_version=seen_version)
    assert _snapshot(db) == before


def test_script_error_halfway_leaves_nothing_written(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {})  # no peildatum
    task = only_task(engine, case.id)
    before = _snapshot(db)
    with pytest.raises(StepFailed) as raised:
        engine.complete(task.task_id, {"trede": 3}, actor="cm1")
    assert "Begeleidingsspoor bepalen" in str(raised.value)
    assert "peildatum" in str(raised.value)
    assert _snapshot(db) == before
    # the same task can still be completed once the data is right
    engine.complete(task.task_id, {"trede": 3, "peildatum": date(2026, 2, 1)}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"


def test_database_error_halfway_leaves_nothing_written(db, monkeypatch):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    before = _snapshot(db)

    def broken_waits(*args, **kwargs):
        # Sent after the state update and the worklist delete, in the same batch and transaction.
        return [step_writes.Write(text("INSERT INTO no_such_table VALUES (1)"), {},
                                  pg="INSERT INTO no_such_table VALUES (1)")]

    monkeypatch.setattr("engine.steps.wait_writes", broken_waits)
    with pytest.raises(Exception, match="no_such_table"):
        engine.complete(task.task_id, {"trede": 3}, actor="cm1")
    assert _snapshot(db) == before
    monkeypatch.setattr("engine.steps.wait_writes", worklist.wait_writes)
    engine.complete(task.task_id, {"trede": 3}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"


def test_unknown_task_is_not_found_and_a_done_task_is_a_conflict(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    engine.complete(task.task_id, {"trede": 3}, actor="cm1")
    with pytest.raises(ConflictError, match="al afgerond door cm1"):
        engine.complete(task.task_id, {"trede": 3}, actor="cm2")
    from engine.errors import NotFound
    with pytest.raises(NotFound):
        engine.complete("00000000-0000-0000-0000-000000000000", {}, actor="cm2")


def test_claimed_task_cannot_be_completed_by_someone_else(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    engine.claim(task.task_id, "cm1")
    with pytest.raises(ConflictError, match="geclaimd door cm1"):
        engine.complete(task.task_id, {"trede": 3}, actor="cm2")
    with pytest.raises(ConflictError):
        engine.claim(task.task_id, "cm2")
    engine.unclaim(task.task_id, "cm1")
    engine.complete(task.task_id, {"trede": 3}, actor="cm2")


def test_claims_survive_the_worklist_rebuild_of_other_steps(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 3}, actor="cm1")
    engine.complete(only_task(engine, case.id).task_id, {}, actor="cm1")
    engine.clock.advance(timedelta(days=14, seconds=1))
    engine.fire_due_timers()
    evaluation = only_task(engine, case.id)
    engine.claim(evaluation.task_id, "cm7")
    engine.deliver_message("PlanOndertekend", {}, case_id=case.id)  # a step in the other instance
    claimed = [t for t in engine.ready_tasks(case_id=case.id) if t.task_id == evaluation.task_id]
    assert claimed[0].claimed_by == "cm7"


def test_a_complete_that_waited_for_the_case_lock_sees_what_the_other_step_did(db):
    """Someone claims the task while our completion waits for the case: ours must see the claim.

    The completion reads case, work item and instance in one locking statement; on PostgreSQL a
    statement that waited for the lock sees the item as it was before the other step, so the
    engine must notice the wait and read the item again (steps._lock_task).
    """
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    locked, release = threading.Event(), threading.Event()

    def claim_slowly() -> None:  # a claim, as engine.claim does it, that keeps the case locked a while
        with engine.case(case.id) as c:
            c.claim(task.task_id, "cm2")
            locked.set()
            release.wait(10)

    outcome: list = []

    def complete() -> None:
        try:
            engine.complete(task.task_id, {"trede": 3}, actor="cm1")
            outcome.append("ok")
        except ConflictError as exc:
            outcome.append(str(exc))

    claimer = threading.Thread(target=claim_slowly)
    claimer.start()
    assert locked.wait(10)
    completer = threading.Thread(target=complete)
    completer.start()
    completer.join(0.5)  # it now waits for the case (PostgreSQL: row lock; SQLite: BEGIN IMMEDIATE)
    release.set()
    claimer.join()
    completer.join(10)
    assert outcome == ["taak is geclaimd door cm2"]
    assert only_task(engine, case.id).claimed_by == "cm2"
    assert engine.verify(case.id).ok

"""A step's SQL stays lean: one locking read, the writes sent together (issue 9, step benchmark).

Counts, not timings: the number of statements and of round trips to the database that completing
a task costs. A change that makes a step read or write row by row again shows up here.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from bench.engine_step import SqlCounter
from tests.engine.helpers import START, make_engine, only_task, start_intake


def _count_complete(engine) -> tuple[int, int]:
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    counter = SqlCounter(engine.db)
    try:
        with counter.on():
            engine.complete(task.task_id, {"trede": 3}, actor="cm1")
    finally:
        counter.remove()
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"
    return counter.statements, counter.round_trips


def test_completing_a_task_is_one_read_and_one_batch_of_writes(db):
    engine = make_engine(db)
    statements, round_trips = _count_complete(engine)
    # lock read; instance state, worklist row out, worklist row in, event, case head
    # (SQLite: plus the BEGIN IMMEDIATE engine.storage.db issues)
    sqlite = db.dialect.name == "sqlite"
    assert statements == (7 if sqlite else 6)
    if not sqlite:  # BEGIN, the locking read, the writes in one pipeline, COMMIT
        assert round_trips == 4


def test_pipelined_writes_store_what_the_column_types_store(db):
    """The writes bypass SQLAlchemy on PostgreSQL: protected fields are still encrypted at rest,
    timestamps still UTC, and the engine reads back exactly what it wrote (both databases)."""
    from engine.storage import field_crypto

    before = field_crypto.cipher_of(db)
    ring = field_crypto.KeyRing("t", {"t": b"\x02" * 32})
    field_crypto.attach(db, field_crypto.FieldCipher({"diagnose"}, ring))
    try:
        engine = make_engine(db)
        case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
        task = only_task(engine, case.id)
        engine.complete(task.task_id, {"trede": 3, "diagnose": "hernia"}, actor="cm1")
        with db.connect() as conn:
            state = conn.execute(text("SELECT state FROM instances")).scalars().all()
            payloads = conn.execute(text("SELECT payload FROM events")).scalars().all()
            at = conn.execute(text("SELECT at FROM events ORDER BY seq DESC LIMIT 1")).scalar_one()
        assert not any("hernia" in s for s in state + payloads)
        assert any(field_crypto.MARKER in p for p in payloads)
        completed = [e for e in engine.history(case.id) if e.kind == "task_completed"]
        assert completed[0].payload["data"]["diagnose"] == "hernia"
        assert str(at).startswith(START.strftime("%Y-%m-%d %H:%M"))  # stored as UTC wall time
        if db.dialect.name == "sqlite":  # the same text format as every row SQLAlchemy writes,
            # or a query comparing timestamps as text puts a moment on the wrong side of a boundary
            with db.connect() as conn:
                formats = conn.execute(text("SELECT DISTINCT length(at) FROM events")).scalars().all()
            assert formats == [len("2026-01-31 09:00:00.000000")]
        assert engine.verify(case.id).ok
    finally:
        field_crypto.attach(db, before)


def _intake_waiting_for_its_timer(engine):
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    engine.complete(only_task(engine, case.id).task_id, {}, actor="cm1")
    engine.clock.advance(timedelta(days=14, seconds=1))
    return case


@pytest.mark.postgres
def test_firing_a_timer_is_one_locking_read_and_one_batch_of_writes(pg_db):
    engine = make_engine(pg_db)
    case = _intake_waiting_for_its_timer(engine)
    counter = SqlCounter(engine.db)
    try:
        with counter.on():
            assert engine.fire_due_timers() == 1
    finally:
        counter.remove()
    # the due list (BEGIN, SELECT, COMMIT: a read-only transaction ends with COMMIT, which the
    # counter sees, where the ROLLBACK it replaces went uncounted); the firing: BEGIN, the locking
    # read, the writes; the evaluation the intake's service task starts in the same step: its
    # version (its spec comes from the intake's bundle, parsed once per process), the instance
    # count, the instance row, its writes; the case's handover facts (casework's hook after a step
    # nobody took, casework/team/successors.py, registered with casework's tables: issue 18 item 5,
    # a task a timer makes goes to the successor); COMMIT
    assert counter.round_trips == 3 + 3 + 4 + 1 + 1
    assert [t.title for t in engine.ready_tasks(case_id=case.id)] == ["Evaluatiegesprek voeren"]


@pytest.mark.postgres
def test_a_timer_whose_case_is_busy_waits_for_a_later_round_and_fires_once(pg_db):
    engine = make_engine(pg_db)
    case = _intake_waiting_for_its_timer(engine)
    with engine.case(case.id):  # a step of the same case, still running
        assert engine.fire_due_timers() == 0
    assert engine.fire_due_timers() == 1
    assert engine.fire_due_timers() == 0
    assert [e.kind for e in engine.history(case.id)].count("timer_fired") == 1

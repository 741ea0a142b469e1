"""`verify` proves that the stored state follows from the recorded inputs (issue 6, items 1-3).

Every edit made directly in the database, behind trede's back, must be found.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from engine.audit.journal import row_hash
from engine.errors import InvalidInput
from engine.storage.db import cases, events
from tests.engine.helpers import make_engine, only_task, start_intake


@pytest.fixture
def lived_case(db):
    """A case with a completed task, a claim, a fired timer, a spawned instance and a message."""
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    engine.complete(only_task(engine, case.id).task_id, {"doelen": ["werk"]}, actor="cm1")
    engine.clock.advance(timedelta(days=14, seconds=1))
    engine.fire_due_timers()
    engine.claim(only_task(engine, case.id).task_id, "cm2")  # the intake now waits for a message
    return engine, case


def test_a_case_through_to_its_end_verifies(lived_case):
    engine, case = lived_case
    engine.deliver_message("PlanOndertekend", {"door": "inwoner"}, case_id=case.id)
    for task in engine.ready_tasks(case_id=case.id):
        engine.complete(task.task_id, {}, actor="cm2")
    assert engine.ready_tasks(case_id=case.id) == []
    verdict = engine.verify(case.id)
    assert verdict.ok, verdict.problems


def test_an_untouched_case_verifies(lived_case):
    engine, case = lived_case
    verdict = engine.verify(case.id)
    assert verdict.ok, verdict.problems


def test_verify_reads_a_snapshot_while_a_step_holds_the_write_lock(lived_case):
    """`trede verify --all` on a live installation: it must neither wait for case workers' steps
    nor hold them up (on SQLite a plain transaction would queue on the write lock, and parallel
    --jobs would run one at a time)."""
    engine, case = lived_case
    with engine.db.begin() as step_elsewhere:
        step_elsewhere.execute(update(cases).where(cases.c.id == case.id).values(status=cases.c.status))
        with ThreadPoolExecutor(1) as pool:
            verdict = pool.submit(engine.verify, case.id).result(timeout=10)
    assert verdict.ok, verdict.problems


def _sql(engine, statement: str) -> None:
    with engine.db.begin() as conn:
        conn.exec_driver_sql(statement)


@pytest.mark.parametrize("tamper, expected", [
    ("UPDATE events SET payload = REPLACE(payload, '\"trede\":4', '\"trede\":2') "
     "WHERE kind = 'task_completed'", "is gewijzigd: de hashketen klopt niet"),
    ("UPDATE events SET actor = 'iemand' WHERE seq = 3", "is gewijzigd"),
    ("DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)", "de keten eindigt niet"),
    ("UPDATE instances SET state = REPLACE(state, '\"doelen\":[\"werk\"]', "
     "'\"doelen\":[\"vrije tijd\"]')", "opgeslagen toestand"),
    ("UPDATE work_items SET claimed_by = 'cm9'", "werkvoorraad"),
    ("DELETE FROM work_items", "werkvoorraad"),
    ("DELETE FROM waits", "wachtende"),
])
def test_a_direct_database_edit_is_detected(lived_case, tamper, expected):
    engine, case = lived_case
    _sql(engine, tamper)
    verdict = engine.verify(case.id)
    assert not verdict.ok
    assert any(expected in p for p in verdict.problems), verdict.problems


def test_a_rewritten_chain_is_caught_by_the_seal(lived_case):
    """Someone edits the recorded data AND recomputes every hash after it: only the seal can tell."""
    engine, case = lived_case
    with engine.db.begin() as conn:
        rows = conn.execute(select(events).where(events.c.case_id == case.id)
                            .order_by(events.c.seq)).mappings().all()
        prev = "0" * 64
        for row in rows:
            payload = row["payload"].replace('"doelen":["werk"]', '"doelen":["vrije tijd"]')
            digest = row_hash(prev, {**row, "payload": payload})
            conn.execute(update(events).where(events.c.id == row["id"])
                         .values(payload=payload, prev_hash=prev, hash=digest))
            prev = digest
        conn.execute(update(cases).where(cases.c.id == case.id).values(head_hash=prev))
    verdict = engine.verify(case.id)
    assert not verdict.ok
    assert any("zegel" in p for p in verdict.problems), verdict.problems


def test_the_first_differing_event_is_named(lived_case):
    engine, case = lived_case
    # a recorded state hash that does not follow from the inputs, with the chain made consistent
    history = engine.history(case.id)
    target = next(e for e in history if e.kind == "task_completed")
    _sql(engine, f"UPDATE events SET state_hash = '{'f' * 64}' WHERE seq = {target.seq}")
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == target.seq


def test_an_application_fact_is_chained_and_verified_but_never_replayed(lived_case):
    """CaseEngine.record_fact: an application fact with no row of its own (a case's team has one
    since issue 16, rebuilt by casework/projections.py). It is in the hash chain (an edit is found),
    verify skips it in the replay, and it can never pose as an engine input."""
    engine, case = lived_case
    before = engine.get_case(case.id).version
    written = []
    ref = engine.record_fact(case.id, "klantcontact", "lead", {"van": "A", "naar": "B", "reden": "r"},
                             also=lambda conn, c: written.append(c["id"]))
    assert written == [case.id] and ref.version == before + 1
    assert engine.history(case.id)[-1].kind == "klantcontact"
    assert engine.verify(case.id).ok
    _sql(engine, "UPDATE events SET payload = REPLACE(payload, '\"naar\":\"B\"', '\"naar\":\"C\"') "
                 "WHERE kind = 'klantcontact'")
    assert "hashketen" in engine.verify(case.id).problems[0]
    with pytest.raises(InvalidInput):
        engine.record_fact(case.id, "task_completed", "lead", {})

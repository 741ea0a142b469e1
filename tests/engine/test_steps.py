"""A case moves through its process one durable step at a time (issue 2, item 3)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from engine.errors import NotFound
from engine.storage.db import events, instances
from tests.engine.helpers import START, make_engine, only_task, start_intake


def test_start_case_puts_first_task_on_the_worklist(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 5)})
    task = only_task(engine, case.id)
    assert task.title == "Diagnose klant in beeld"
    assert task.lane == "casemanager"
    assert '"formKey": "diagnose"' in task.form
    assert task.case_number == case.case_number
    assert engine.ready_tasks(gemeente="apeldoorn") == []


def test_completing_a_task_runs_scripts_and_gateways_to_the_next_task(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 2}, actor="cm1")
    assert only_task(engine, case.id).title == "Activeringstraject kiezen"

    case2, _ = engine.start_case("ooststellingwerf", "999990020", "Piet Pietersen", "intake",
                                 {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, case2.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, case2.id).title == "Plan van aanpak opstellen"


def test_every_step_appends_one_chained_event_with_the_submitted_data(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    engine.claim(task.task_id, "cm1")
    engine.complete(task.task_id, {"trede": 5}, actor="cm1")
    history = engine.history(case.id)
    assert [e.kind for e in history] == ["case_opened", "instance_started", "task_claimed", "task_completed"]
    completed = history[-1]
    assert completed.actor == "cm1" and completed.task_id == task.task_id
    assert completed.payload["data"] == {"trede": 5}
    assert completed.at == START
    with db.connect() as conn:
        rows = conn.execute(select(events.c.prev_hash, events.c.hash).order_by(events.c.seq)).all()
        stored = conn.execute(select(instances.c.state_hash)).scalar_one()
    assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, len(rows)))
    assert completed.state_hash == stored


def test_timer_fires_only_when_due(db):
    engine = make_engine(db)
    clock = engine.clock
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    engine.complete(only_task(engine, case.id).task_id, {}, actor="cm1")
    assert engine.ready_tasks(case_id=case.id) == []
    clock.advance(timedelta(days=13, hours=23))
    assert engine.fire_due_timers() == 0
    clock.advance(timedelta(hours=1, seconds=1))
    assert engine.fire_due_timers() == 1
    # the service task started the evaluation as a process instance of its own in the same dossier
    assert [t.title for t in engine.ready_tasks(case_id=case.id)] == ["Evaluatiegesprek voeren"]
    fired = [e for e in engine.history(case.id) if e.kind == "timer_fired"]
    assert len(fired) == 1 and fired[0].at == START + timedelta(days=14, seconds=1)


def test_message_reaches_the_waiting_case_only(db):
    engine = make_engine(db)
    clock = engine.clock
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    with pytest.raises(NotFound):
        engine.deliver_message("PlanOndertekend", {"door": "inwoner"}, case_id=case.id)
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    engine.complete(only_task(engine, case.id).task_id, {}, actor="cm1")
    clock.advance(timedelta(days=14, seconds=1))
    engine.fire_due_timers()
    assert engine.deliver_message("PlanOndertekend", {"door": "inwoner"}, case_id=case.id) == 1
    titles = sorted(t.title for t in engine.ready_tasks(case_id=case.id))
    assert titles == ["Evaluatiegesprek voeren", "Intake afronden"]
    intake_task = next(t for t in engine.ready_tasks(case_id=case.id) if t.title == "Intake afronden")
    engine.complete(intake_task.task_id, {}, actor="cm1")
    with db.connect() as conn:
        statuses = dict(conn.execute(select(instances.c.process_id, instances.c.status)).all())
    assert statuses == {"intake": "completed", "evaluatie": "running"}


def test_reassign_is_one_recorded_step_and_verifies(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    task = only_task(engine, case.id)
    engine.claim(task.task_id, "cm1")
    engine.reassign(task.task_id, "cm2", by="tl1")
    assert only_task(engine, case.id).claimed_by == "cm2"
    last = engine.history(case.id)[-1]
    assert (last.kind, last.actor, last.payload) == ("task_reassigned", "tl1", {"user": "cm2", "from": "cm1"})
    assert engine.verify(case.id).ok


def test_task_data_shows_what_the_process_holds(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    data = engine.task_data(only_task(engine, case.id).task_id)
    assert data["spoor"] == "re-integratiebegeleiding" and data["evaluatie_op"] == date(2026, 7, 31)


def test_a_failing_start_leaves_no_empty_case(db):
    engine = make_engine(db)
    with pytest.raises(NotFound):
        engine.start_case("ooststellingwerf", "999990019", "Jan Jansen", "bestaat_niet", {})
    assert engine.case_ids() == []

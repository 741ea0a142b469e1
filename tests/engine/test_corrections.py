"""A task completed by mistake is corrected with a reason, never silently undone (issue 4 item 6, issue 6)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.errors import InvalidInput, NotFound
from engine.storage.db import instances
from tests.engine.helpers import make_engine, only_task, start_intake


def test_a_correction_reopens_the_task_and_keeps_the_history(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    diagnose = only_task(engine, case.id)
    engine.complete(diagnose.task_id, {"trede": 2}, actor="cm1")  # a typo: trede 2 instead of 4
    assert only_task(engine, case.id).title == "Activeringstraject kiezen"
    engine.correct_task(diagnose.task_id, "trede verkeerd ingevuld (2 i.p.v. 4)", actor="cm1")
    reopened = only_task(engine, case.id)
    assert reopened.task_id == diagnose.task_id and reopened.title == "Diagnose klant in beeld"
    engine.complete(reopened.task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"
    kinds = [(e.kind, e.payload.get("reason")) for e in engine.history(case.id)
             if e.task_id == diagnose.task_id]
    assert kinds == [("task_completed", None), ("task_corrected", "trede verkeerd ingevuld (2 i.p.v. 4)"),
                     ("task_completed", None)]
    assert engine.verify(case.id).ok


def test_a_finished_instance_can_be_corrected(db):
    engine = make_engine(db)
    case, instance_id = engine.start_case("woerden", "999990019", "Jan", "evaluatie", {})
    task = only_task(engine, case.id)
    engine.complete(task.task_id, {"verslag": "kort"}, actor="cm1")
    engine.correct_task(task.task_id, "verslag hoort bij een ander gesprek", actor="tl1")
    with db.connect() as conn:
        status = conn.execute(select(instances.c.status).where(instances.c.id == instance_id)).scalar()
    assert status == "running"
    assert only_task(engine, case.id).task_id == task.task_id
    assert engine.verify(case.id).ok


def test_a_correction_needs_a_reason_and_a_completed_task(db):
    engine = make_engine(db)
    case, _ = engine.start_case("woerden", "999990019", "Jan", "evaluatie", {})
    task = only_task(engine, case.id)
    with pytest.raises(NotFound):
        engine.correct_task(task.task_id, "reden", actor="cm1")
    engine.complete(task.task_id, {}, actor="cm1")
    with pytest.raises(InvalidInput, match="reden"):
        engine.correct_task(task.task_id, "  ", actor="cm1")

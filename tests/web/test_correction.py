"""A mistaken completion reopened by a teamleider (issue 18 item 4; a use case of issue 15): a recorded
correction with a reason that replay and verify understand, the same rules whatever way in."""
from __future__ import annotations

import pytest

from casework import correction
from casework.accounts.admin import FormErrors
from casework.context import Channel, Context
from casework.errors import NotAllowed
from casework.people import find_user
from engine.audit.processing_log import LogQuery, search
from engine.errors import NotFound


def _as(app, engine, username):
    return Context(engine, find_user(engine.db, username), Channel("cli"),
                   app.extensions["trede.pseudonymizer"])


def _complete_first_task(engine, case, actor="cm"):
    task = engine.ready_tasks(case_id=case.id)[0]
    engine.complete(task.task_id, {"trede": 3}, actor=actor)
    return task


def test_a_teamleider_reopens_a_completed_task_and_the_history_still_verifies(app, engine, case):
    task = _complete_first_task(engine, case)
    with engine.reader.connect() as conn:
        assert [t.task_id for t in correction.correctable_tasks(conn, case.id)] == [task.task_id]
    done = correction.correct(_as(app, engine, "lead"), case.id, task.task_id, "Trede 3 moest 2 zijn.")
    assert done.follow_ups == [] and done.task_name
    assert task.task_id in [t.task_id for t in engine.ready_tasks(case_id=case.id)]  # open again
    kinds = [e.kind for e in engine.history(case.id)]
    assert kinds[-2:] == ["task_completed", "task_corrected"]  # the completion stays, the correction follows
    assert engine.history(case.id)[-1].payload["reason"] == "Trede 3 moest 2 zijn."
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    lines = search(engine.db, LogQuery("ooststellingwerf", activity_key="taak-afhandelen"),
                   app.extensions["trede.pseudonymizer"])
    assert any(line["result"].startswith("taak heropend") for line in lines)


def test_a_correction_needs_a_teamleider_a_reason_and_a_case_of_ones_own_gemeente(app, engine, case):
    task = _complete_first_task(engine, case)
    with pytest.raises(NotAllowed):
        correction.correct(_as(app, engine, "cm"), case.id, task.task_id, "Foutje.")
    with pytest.raises(FormErrors) as refused:
        correction.correct(_as(app, engine, "lead"), case.id, task.task_id, "  ")
    assert list(refused.value.errors) == ["reden"]
    with pytest.raises(NotFound):  # Apeldoorn's teamleider: as if the case did not exist
        correction.correct(_as(app, engine, "apel"), case.id, task.task_id, "Foutje.")
    assert [e.kind for e in engine.history(case.id)][-1] == "task_completed"  # nothing written


def test_the_dossier_offers_a_completed_task_by_its_title_not_its_bpmn_id(app, engine, case):
    """Issue 18: "Afgeronde taak heropenen" listed BPMN ids; a person knows the task by its title."""
    task = _complete_first_task(engine, case)
    assert task.title != task.task_name  # the model gives this task a name of its own
    with engine.reader.connect() as conn:
        offered = correction.correctable_tasks(conn, case.id, engine.specs)
    assert [(t.task_id, t.title) for t in offered] == [(task.task_id, task.title)]
    done = correction.correct(_as(app, engine, "lead"), case.id, task.task_id, "Trede 3 moest 2 zijn.")
    assert done.task_name == task.title  # the flash after reopening names it the same way

"""The auditor's replay follows every kind of step the verifier replays: migrations and corrections too."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from engine.models.case_migration import Migrator
from engine.storage.db import cases
from tests.engine.helpers import make_engine, model_files, only_task, start_intake
from web.audit.history import case_history

OLD_F4 = b'<bpmn:conditionExpression>spoor == "re-integratiebegeleiding"</bpmn:conditionExpression>'
NEW_F4 = (b'<bpmn:conditionExpression>spoor == "re-integratiebegeleiding" and trede != 3'
          b"</bpmn:conditionExpression>")
OLD_F5 = b'<bpmn:conditionExpression>spoor == "activering"</bpmn:conditionExpression>'
NEW_F5 = b'<bpmn:conditionExpression>spoor == "activering" or trede == 3</bpmn:conditionExpression>'


def _case_row(engine, case_id: int) -> dict:
    with engine.db.connect() as conn:
        return dict(conn.execute(select(cases).where(cases.c.id == case_id)).mappings().one())


def test_a_migrated_instance_replays_on_its_new_version(db):
    engine = make_engine(db)
    case, instance_id = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    files = model_files("intake.bpmn")
    files["intake.bpmn"] = files["intake.bpmn"].replace(OLD_F4, NEW_F4).replace(OLD_F5, NEW_F5)
    v2 = engine.deploy(files).versions[0]
    [result] = Migrator(engine).migrate(v2.id, [instance_id], actor="ontwerper")
    assert result.migrated, result.message
    engine.complete(only_task(engine, case.id).task_id, {"trede": 3}, actor="cm1")  # v2 sends 3 to activering
    history = case_history(engine, _case_row(engine, case.id))
    assert [s.problem for s in history.steps] == [None] * len(history.steps)
    migrated = next(s for s in history.steps if s.kind == "instance_migrated")
    assert migrated.label == "Overgezet naar een nieuwe modelversie"
    assert migrated.model_version == "intake versie 2"
    assert history.steps[-1].model_version == "intake versie 2"
    assert [t.title for t in history.open_tasks] == ["Activeringstraject kiezen"]
    assert [t.task_id for t in history.open_tasks] == [t.task_id for t in engine.ready_tasks(case_id=case.id)]
    assert engine.verify(case.id).ok


def test_a_correction_withdraws_the_later_work_of_its_instance(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    diagnose = only_task(engine, case.id)
    engine.complete(diagnose.task_id, {"trede": 4}, actor="cm1")
    engine.correct_task(diagnose.task_id, "trede moest 2 zijn", actor="lead")
    history = case_history(engine, _case_row(engine, case.id))
    corrected = history.steps[-1]
    assert corrected.kind == "task_corrected" and corrected.problem is None
    assert {"spoor", "gw", "diagnose"} <= set(corrected.withdrawn)
    assert corrected.submitted["reason"] == "trede moest 2 zijn"
    assert [t.title for t in history.open_tasks] == ["Diagnose klant in beeld"]

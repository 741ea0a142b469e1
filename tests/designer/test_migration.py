"""Moving running cases onto a new version: dry run, bulk migration, revert, and replay stays green.

Runs on SQLite and PostgreSQL (the ``db`` fixture).
"""
from __future__ import annotations

from datetime import date, timedelta

from engine.models.case_migration import Migrator
from tests.engine.helpers import BSN, make_engine, model_files, only_task, start_intake

PEIL = {"peildatum": date(2026, 1, 31)}
# Version 2: trede 3 now goes to activering instead of the plan van aanpak.
OLD_F4 = b'<bpmn:conditionExpression>spoor == "re-integratiebegeleiding"</bpmn:conditionExpression>'
NEW_F4 = (b'<bpmn:conditionExpression>spoor == "re-integratiebegeleiding" and trede != 3'
          b"</bpmn:conditionExpression>")
OLD_F5 = b'<bpmn:conditionExpression>spoor == "activering"</bpmn:conditionExpression>'
NEW_F5 = b'<bpmn:conditionExpression>spoor == "activering" or trede == 3</bpmn:conditionExpression>'


def _deploy_v2(engine, replace: list[tuple[bytes, bytes]]):
    files = model_files("intake.bpmn")
    for old, new in replace:
        assert old in files["intake.bpmn"]
        files["intake.bpmn"] = files["intake.bpmn"].replace(old, new)
    return engine.deploy(files).versions[0]


def test_dry_run_then_migrate_moves_the_case_and_verify_stays_green(db):
    engine = make_engine(db)
    case, instance_id = start_intake(engine, PEIL)
    v1 = engine.ready_tasks(case_id=case.id)[0]
    engine.claim(v1.task_id, "cm1")
    v2 = _deploy_v2(engine, [(OLD_F4, NEW_F4), (OLD_F5, NEW_F5)])
    migrator = Migrator(engine)
    assert migrator.select("intake") == [instance_id]

    [check] = migrator.dry_run(v2.id, [instance_id])
    assert check.can_migrate and check.reasons == []
    assert check.from_version == 1
    assert engine.history(case.id)[-1].kind == "task_claimed"  # the dry run wrote nothing

    [result] = migrator.migrate(v2.id, [instance_id], actor="ontwerper")
    assert result.migrated, result.message
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    event = engine.history(case.id)[-1]
    assert event.kind == "instance_migrated"
    assert event.payload["from_version_id"] != event.payload["to_version_id"] == v2.id
    task = only_task(engine, case.id)
    assert task.task_id == v1.task_id and task.claimed_by == "cm1"  # same task, claim kept

    engine.complete(task.task_id, {"trede": 3}, actor="cm1")
    assert only_task(engine, case.id).title == "Activeringstraject kiezen"  # the new condition
    assert engine.verify(case.id).ok


def test_dry_run_explains_an_open_task_that_was_removed(db):
    engine = make_engine(db)
    case, instance_id = start_intake(engine, PEIL)
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"
    # version 2 without the plan task: f4 goes straight to the timer
    other, other_id = engine.start_case("ooststellingwerf", "999990020", "Piet", "intake", PEIL)
    v2 = _deploy_v2(engine, [
        (b'<bpmn:userTask id="plan" name="Plan van aanpak opstellen">\n'
         b'      <bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing>\n'
         b'    </bpmn:userTask>\n', b""),
        (b'<bpmn:flowNodeRef>plan</bpmn:flowNodeRef>', b""),
        (b'<bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="plan">',
         b'<bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="wacht">'),
        (b'<bpmn:sequenceFlow id="f6" sourceRef="plan" targetRef="wacht" />', b""),
        (b"<bpmn:incoming>f6</bpmn:incoming>", b"<bpmn:incoming>f4</bpmn:incoming>"),
    ])
    before = engine.history(case.id)
    [check] = Migrator(engine).dry_run(v2.id, [instance_id])
    assert not check.can_migrate
    assert any("Plan van aanpak opstellen" in r and "bestaat niet meer" in r for r in check.reasons)

    [result] = Migrator(engine).migrate(v2.id, [instance_id], actor="ontwerper")
    assert not result.migrated and "bestaat niet meer" in result.message
    assert engine.history(case.id) == before  # refused: nothing written
    assert engine.verify(case.id).ok
    # a case still at the diagnose task can move (the plan task is only in its future)
    [ok] = Migrator(engine).dry_run(v2.id, [other_id])
    assert ok.can_migrate, ok.reasons


def test_migrate_in_bulk_each_instance_on_its_own(db):
    engine = make_engine(db)
    first, first_id = start_intake(engine, PEIL)
    second, second_id = engine.start_case("ooststellingwerf", "999990020", "Piet", "intake", PEIL)
    engine.complete(only_task(engine, second.id).task_id, {"trede": 1}, actor="cm1")
    engine.complete(only_task(engine, second.id).task_id, {}, actor="cm1")  # activering: now at the timer
    engine.clock.advance(timedelta(days=10))
    v2 = _deploy_v2(engine, [(b"Diagnose klant in beeld", b"Diagnose (v2)")])
    migrator = Migrator(engine)
    assert migrator.select("intake", gemeente="apeldoorn") == []
    results = migrator.migrate(v2.id, migrator.select("intake"), actor="ontwerper")
    assert [r.migrated for r in results] == [True, True]
    assert only_task(engine, first.id).title == "Diagnose (v2)"
    for case in (first, second):
        assert engine.verify(case.id).ok, engine.verify(case.id).problems
    # the waiting timer kept its due time (fourteen days after it was reached), not restarted
    engine.clock.advance(timedelta(days=4, hours=1))
    assert engine.fire_due_timers() == 1
    assert engine.verify(second.id).ok


def test_a_migration_can_be_reverted(db):
    engine = make_engine(db)
    case, instance_id = start_intake(engine, PEIL)
    v2 = _deploy_v2(engine, [(b"Diagnose klant in beeld", b"Diagnose (v2)")])
    migrator = Migrator(engine)
    assert migrator.migrate(v2.id, [instance_id], actor="ontwerper")[0].migrated
    back = migrator.revert(instance_id, actor="ontwerper")
    assert back.migrated, back.message
    assert only_task(engine, case.id).title == "Diagnose klant in beeld"
    kinds = [e.kind for e in engine.history(case.id)]
    assert kinds[-2:] == ["instance_migrated", "instance_migrated"]
    assert engine.history(case.id)[-1].payload["revert_of"] == len(kinds) - 1
    assert engine.verify(case.id).ok
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"
    assert engine.verify(case.id).ok


def test_no_migration_across_gemeenten_or_processes(db):
    engine = make_engine(db)
    case, instance_id = start_intake(engine, PEIL, bsn=BSN)
    files = model_files("intake.bpmn")
    files["intake.bpmn"] = files["intake.bpmn"].replace(b"Intake afronden", b"Afronden (Apeldoorn)")
    apeldoorn = engine.deploy(files, gemeente="apeldoorn").versions[0]
    [check] = Migrator(engine).dry_run(apeldoorn.id, [instance_id])
    assert not check.can_migrate and "apeldoorn" in check.reasons[0]


def test_dry_run_explains_an_open_task_that_changed_type(db):
    engine = make_engine(db)
    case, instance_id = start_intake(engine, PEIL)
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"
    v2 = _deploy_v2(engine, [
        (b'<bpmn:userTask id="plan" name="Plan van aanpak opstellen">\n'
         b'      <bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing>\n'
         b'    </bpmn:userTask>',
         b'<bpmn:manualTask id="plan" name="Plan van aanpak opstellen">\n'
         b'      <bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing>\n'
         b'    </bpmn:manualTask>'),
    ])
    [check] = Migrator(engine).dry_run(v2.id, [instance_id])
    assert not check.can_migrate
    assert any("van type veranderd" in r and "ManualTask" in r for r in check.reasons), check.reasons

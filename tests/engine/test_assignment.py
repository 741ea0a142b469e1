"""Assignment by a process variable (engine/assignment.py): a user task with the property
``assignee`` starts claimed by the user its variable names; replay derives the same claim.

Runs on SQLite and PostgreSQL (the ``db`` fixture).
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from engine.errors import ConflictError
from engine.models.case_migration import Migrator
from engine.models.validation import validate_bundle
from engine.storage.db import work_items
from tests.engine.helpers import make_engine, model_files, only_task, start_intake

PLAN = b'<bpmn:userTask id="plan" name="Plan van aanpak opstellen">'
SPOOR = b'<bpmn:scriptTask id="spoor" name="Begeleidingsspoor bepalen">'


def _assigned(variable: str = "casemanager", at: bytes = PLAN) -> dict[str, bytes]:
    """The test intake with the plan van aanpak (or another element) assigned by ``variable``."""
    files = model_files("intake.bpmn")
    prop = (b'<bpmn:extensionElements><spiffworkflow:properties><spiffworkflow:property name="assignee" '
            b'value="' + variable.encode() + b'" /></spiffworkflow:properties></bpmn:extensionElements>')
    assert at in files["intake.bpmn"]
    files["intake.bpmn"] = files["intake.bpmn"].replace(at, at + prop)
    return files


def _to_plan(engine, data: dict):
    case, instance_id = start_intake(engine, {"peildatum": date(2026, 1, 31), **data})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    plan = only_task(engine, case.id)
    assert plan.title == "Plan van aanpak opstellen"
    return case, instance_id, plan


def test_the_task_goes_to_the_user_the_variable_names_and_only_they_complete_it(db):
    engine = make_engine(db)
    engine.deploy(_assigned())
    case, _, plan = _to_plan(engine, {"casemanager": "cm2"})
    assert plan.claimed_by == "cm2"
    assert engine.ready_tasks(claimed_by="cm2") == [plan]
    with pytest.raises(ConflictError, match="cm2"):
        engine.complete(plan.task_id, {}, actor="cm1")
    engine.complete(plan.task_id, {}, actor="cm2")
    assert engine.verify(case.id).ok, engine.verify(case.id).problems


def test_without_the_variable_the_task_waits_in_its_lane(db):
    engine = make_engine(db)
    engine.deploy(_assigned())
    case, _, plan = _to_plan(engine, {})
    assert plan.claimed_by is None
    _, _, plan = _to_plan(engine, {"casemanager": "  "})
    assert plan.claimed_by is None
    assert engine.verify(case.id).ok


def test_replay_derives_the_assignment_and_catches_a_changed_one(db):
    engine = make_engine(db)
    engine.deploy(_assigned())
    case, _, plan = _to_plan(engine, {"casemanager": "cm2"})
    engine.unclaim(plan.task_id, "cm2")  # given back to the team: recorded, so replay agrees
    assert only_task(engine, case.id).claimed_by is None
    assert engine.verify(case.id).ok
    engine.reassign(plan.task_id, "cm3", by="tl1")
    assert engine.verify(case.id).ok

    with db.begin() as conn:  # behind trede's back: the task handed to someone else
        conn.execute(update(work_items).where(work_items.c.task_id == plan.task_id).values(claimed_by="cm9"))
    verdict = engine.verify(case.id)
    assert not verdict.ok
    assert "werkvoorraad" in verdict.problems[0]


def test_a_migration_keeps_each_open_task_as_it_was_assigned(db):
    engine = make_engine(db)  # version 1 has no assignee
    unassigned_case, unassigned_id, unassigned = _to_plan(engine, {"casemanager": "cm2"})
    assert unassigned.claimed_by is None
    v2 = engine.deploy(_assigned()).versions[0]
    assigned_case, assigned_id, assigned = _to_plan(engine, {"casemanager": "cm2"})
    assert assigned.claimed_by == "cm2"

    migrator = Migrator(engine)
    [moved] = migrator.migrate(v2.id, [unassigned_id], actor="ontwerper")
    assert moved.migrated, moved.message
    assert only_task(engine, unassigned_case.id).claimed_by is None  # nobody took it: still the team's
    v3 = engine.deploy(model_files("intake.bpmn")).versions[0]  # the assignee dropped again
    [moved] = migrator.migrate(v3.id, [assigned_id], actor="ontwerper")
    assert moved.migrated, moved.message
    assert only_task(engine, assigned_case.id).claimed_by == "cm2"
    for case in (unassigned_case, assigned_case):
        assert engine.verify(case.id).ok, engine.verify(case.id).problems


def test_a_designer_is_told_where_an_assignee_cannot_work():
    problems = validate_bundle(_assigned("case manager"))
    assert [(p.file, p.element_id) for p in problems] == [("intake.bpmn", "plan")]
    assert "naam van een procesvariabele" in problems[0].message and problems[0].line
    problems = validate_bundle(_assigned(at=SPOOR))
    assert [p.element_id for p in problems] == ["spoor"]
    assert "gebruikerstaak" in problems[0].message
    assert validate_bundle(_assigned()) == []


def test_a_lane_is_routed_by_the_process_data_and_a_process_key_routes_that_process_only():
    """``laneRouting`` (engine/assignment.py): the application routes a model's lane to another; the
    engine knows no gemeente or role, only the mapping in the case data."""
    from engine.assignment import routed_lane

    routing = {"laneRouting": {"casemanager werk": "participatieconsulent",
                               "werkt_mee/teamleider": "lokale toegang"}}
    assert routed_lane("casemanager werk", "voorziening", routing) == "participatieconsulent"
    assert routed_lane("teamleider", "werkt_mee", routing) == "lokale toegang"
    assert routed_lane("teamleider", "voorziening", routing) == "teamleider"
    assert routed_lane("casemanager werk", "voorziening", {}) == "casemanager werk"
    assert routed_lane(None, "voorziening", routing) is None
    assert routed_lane("casemanager werk", "x", {"laneRouting": "not a mapping"}) == "casemanager werk"

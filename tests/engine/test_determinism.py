"""A case reloaded from the database continues exactly as one kept in memory (issue 2)."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.runtime import Runtime, StepContext
from engine.storage.db import instances
from engine.storage.state import dump_state
from tests.engine.helpers import START, make_engine, only_task, start_intake


def test_reloaded_case_matches_one_kept_in_memory_byte_for_byte(db):
    engine = make_engine(db)
    clock = engine.clock
    data = {"peildatum": date(2026, 1, 31)}
    case, instance_id = start_intake(engine, data)
    with db.connect() as conn:
        uid, version_id = conn.execute(select(instances.c.uid, instances.c.process_version_id)
                                       .where(instances.c.id == instance_id)).one()
    # The same inputs applied to one workflow object that never leaves memory.
    from engine.models.versions import get_version
    with db.connect() as conn:
        spec, subs = engine.specs.get(conn, get_version(conn, version_id))
    runtime = Runtime(None, {}, 2.0)
    ctx = StepContext(case.id, case.case_number, "ooststellingwerf", START, "system")
    memory = runtime.start(spec, subs, uid, {"gemeente": "ooststellingwerf", **data}, ctx)
    workflow, counter = memory.workflow, memory.id_counter

    def in_memory(action, at):
        nonlocal counter
        from engine.clock import frozen_at
        from engine.sandbox import determinism
        seq = determinism.IdSequence(uuid.UUID(uid), counter)
        with frozen_at(at), determinism.id_sequence(seq):
            workflow.script_engine = runtime.script_engine(StepContext(case.id, case.case_number,
                                                                       "ooststellingwerf", at, "cm1"))
            action(workflow)
            workflow.do_engine_steps()
        counter = seq.counter

    def complete_ready(values):
        def act(wf):
            task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data.update(values)
            task.run()
        return act

    for values in ({"trede": 4}, {"doelen": ["werk"]}):
        engine.complete(only_task(engine, case.id).task_id, values, actor="cm1")
        in_memory(complete_ready(values), clock.now())
    clock.advance(timedelta(days=14, seconds=1))
    engine.fire_due_timers()
    in_memory(lambda wf: wf.refresh_timers(), clock.now())
    engine.deliver_message("PlanOndertekend", {"door": "inwoner"}, case_id=case.id)
    in_memory(lambda wf: wf.send_event(BpmnEvent(MessageEventDefinition("PlanOndertekend"),
                                                 {"door": "inwoner"})), clock.now())
    with db.connect() as conn:
        stored = conn.execute(select(instances.c.state).where(instances.c.id == instance_id)).scalar_one()
    assert stored == dump_state(workflow)


def test_task_ids_are_derived_from_the_instance_and_a_counter(db):
    engine = make_engine(db)
    case, instance_id = start_intake(engine, {})
    with db.connect() as conn:
        uid = conn.execute(select(instances.c.uid).where(instances.c.id == instance_id)).scalar_one()
    derived = {str(uuid.uuid5(uuid.UUID(uid), str(n))) for n in range(1, 200)}
    assert only_task(engine, case.id).task_id in derived

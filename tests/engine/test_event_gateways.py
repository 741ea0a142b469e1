"""Event-based gateways and what a process waits for (issue 21, item 5), on SQLite and PostgreSQL.

"Wait for an answer or a deadline" is the common pattern: the first event to arrive wins, the other
branches are withdrawn, every wait is a row (so a message finds its case and the worker fires the
timer) and every step replays in `verify`. Models: trede's own `antwoord_of_termijn.bpmn` (message,
timer and signal branches) and SpiffWorkflow's test models in tests/fixtures/spiffworkflow (LGPL-3.0).
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.errors import NotFound
from engine.storage.db import instances, waits
from tests.engine.helpers import BSN, START, make_engine, model_files

SPIFF = Path(__file__).parent.parent / "fixtures" / "spiffworkflow"
DEADLINE = START + timedelta(days=14)


def _engine(db):
    engine = make_engine(db)
    engine.deploy(model_files("antwoord_of_termijn.bpmn"))
    return engine


def _start(engine, process_id="wacht_op_antwoord"):
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", process_id, {})
    return case


def _waits(db, case_id):
    with db.connect() as conn:
        return sorted((r.kind, r.name, r.due_at) for r in conn.execute(
            select(waits.c.kind, waits.c.name, waits.c.due_at).where(waits.c.case_id == case_id)))


def _titles(engine, case_id):
    return sorted(t.title for t in engine.ready_tasks(case_id=case_id))


def _status(db, case_id):
    with db.connect() as conn:
        return conn.execute(select(instances.c.status, instances.c.completed_at)
                            .where(instances.c.case_id == case_id)).one()


def _kinds(engine, case_id):
    return [e.kind for e in engine.history(case_id)]


def test_the_gateway_records_a_wait_per_branch(db):
    engine = _engine(db)
    case = _start(engine)
    assert _waits(db, case.id) == [("message", "AntwoordOntvangen", None),
                                   ("signal", "AanvraagIngetrokken", None),
                                   ("timer", "Termijn verstreken", DEADLINE)]
    assert _titles(engine, case.id) == []
    assert engine.verify(case.id).ok


RECEIVE_TASK = model_files("antwoord_of_termijn.bpmn")["antwoord_of_termijn.bpmn"].decode().replace(
    '<bpmn:intermediateCatchEvent id="antwoord" name="Antwoord ontvangen"><bpmn:incoming>f2</bpmn:incoming>'
    '<bpmn:outgoing>f5</bpmn:outgoing><bpmn:messageEventDefinition id="md" messageRef="M1"/>'
    "</bpmn:intermediateCatchEvent>",
    '<bpmn:receiveTask id="antwoord" name="Antwoord ontvangen" messageRef="M1"><bpmn:incoming>f2'
    "</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:receiveTask>")


@pytest.mark.parametrize("branch", ["catch event", "receive task"])
def test_an_answer_before_the_deadline_wins_and_withdraws_the_timer(db, branch):
    engine = _engine(db)
    if branch == "receive task":
        assert "receiveTask" in RECEIVE_TASK
        engine.deploy({"antwoord_of_termijn.bpmn": RECEIVE_TASK.encode()})
    case = _start(engine)
    engine.clock.advance(timedelta(days=3))
    assert engine.deliver_message("AntwoordOntvangen", {"antwoord": "akkoord"}, case_id=case.id) == 1
    assert _titles(engine, case.id) == ["Antwoord beoordelen"]
    assert _waits(db, case.id) == []  # the timer and signal branches are withdrawn
    engine.clock.advance(timedelta(days=30))
    assert engine.fire_due_timers() == 0
    assert _titles(engine, case.id) == ["Antwoord beoordelen"]
    assert engine.verify(case.id).ok


def test_the_deadline_wins_through_the_scheduler_when_no_answer_came(db):
    engine = _engine(db)
    case = _start(engine)
    engine.clock.set(DEADLINE)
    assert engine.fire_due_timers() == 0  # due means past: SpiffWorkflow fires strictly after
    engine.clock.advance(timedelta(seconds=1))
    assert engine.fire_due_timers() == 1
    assert _titles(engine, case.id) == ["Rappelleren"]
    assert _waits(db, case.id) == []
    with pytest.raises(NotFound, match="AntwoordOntvangen"):
        engine.deliver_message("AntwoordOntvangen", {}, case_id=case.id)
    assert _titles(engine, case.id) == ["Rappelleren"]
    assert _kinds(engine, case.id)[-1] == "timer_fired"
    assert engine.verify(case.id).ok


def test_an_answer_after_the_deadline_loses_even_before_the_worker_ran(db):
    """The deadline passed first; the message must not start the answer branch next to it."""
    engine = _engine(db)
    case = _start(engine)
    engine.clock.set(DEADLINE + timedelta(days=1))
    with pytest.raises(NotFound, match="termijn verstreek eerder"):
        engine.deliver_message("AntwoordOntvangen", {}, case_id=case.id)
    assert engine.fire_due_timers() == 1
    assert _titles(engine, case.id) == ["Rappelleren"]
    assert engine.verify(case.id).ok


def test_the_inbox_keeps_a_late_answer_as_a_dead_letter(db):
    from engine.scheduling import inbox

    engine = _engine(db)
    case = _start(engine)
    engine.clock.set(DEADLINE + timedelta(hours=1))
    receipt = inbox.receive(engine, "AntwoordOntvangen", "ooststellingwerf",
                            {"case_number": case.case_number}, {"antwoord": "te laat"}, "k1", "test")
    assert receipt.status == "dead" and "termijn verstreek eerder" in receipt.reason
    assert _titles(engine, case.id) == []  # nothing moved; the worker fires the deadline next
    assert engine.fire_due_timers() == 1 and _titles(engine, case.id) == ["Rappelleren"]


def test_a_signal_branch_ends_the_wait(db):
    engine = _engine(db)
    case = _start(engine)
    assert engine.deliver_message("AanvraagIngetrokken", {"door": "inwoner"}, case_id=case.id) == 1
    status, completed_at = _status(db, case.id)
    assert status == "completed" and completed_at == START
    assert _waits(db, case.id) == [] and _titles(engine, case.id) == []
    assert _kinds(engine, case.id)[-1] == "signal_delivered"
    assert engine.verify(case.id).ok


# --- SpiffWorkflow's own models ------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["message_1", "message_2"])
def test_spiffworkflows_event_gateway_follows_the_message_that_came(db, message):
    engine = make_engine(db)
    engine.deploy({"event-gateway.bpmn": (SPIFF / "event-gateway.bpmn").read_bytes()})
    case = _start(engine, "Process_0pvx19v")
    assert [(k, n) for k, n, _ in _waits(db, case.id)] == [
        ("message", "message_1"), ("message", "message_2"), ("timer", "timer_event")]
    assert engine.deliver_message(message, {}, case_id=case.id) == 1
    assert _status(db, case.id)[0] == "completed" and _waits(db, case.id) == []
    other = "message_2" if message == "message_1" else "message_1"
    with pytest.raises(NotFound):  # withdrawn with the gateway
        engine.deliver_message(other, {}, case_id=case.id)
    assert engine.verify(case.id).ok


def test_spiffworkflows_event_gateway_timer_branch_fires_through_the_worker(db):
    engine = make_engine(db)
    engine.deploy({"event-gateway.bpmn": (SPIFF / "event-gateway.bpmn").read_bytes()})
    case = _start(engine, "Process_0pvx19v")
    engine.clock.advance(timedelta(seconds=1))  # "PT1S": due, but fired only once it has passed
    assert engine.run_due() == 0
    engine.clock.advance(timedelta(seconds=1))
    assert engine.run_due() == 1
    assert _status(db, case.id)[0] == "completed" and _waits(db, case.id) == []
    assert engine.verify(case.id).ok


def test_a_process_that_completes_in_its_start_step_is_stored_completed(db):
    engine = make_engine(db)
    engine.deploy({"no-tasks.bpmn": (SPIFF / "no-tasks.bpmn").read_bytes()})
    case = _start(engine, "no_tasks")
    assert _status(db, case.id) == ("completed", START)
    assert engine.verify(case.id).ok

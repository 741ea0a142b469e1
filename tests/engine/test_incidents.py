"""Issue 17, findings 1 and 2: every step has a bound, and a background step that fails puts its
case aside as an incident (recorded in its history, skipped by the worker) instead of holding the
worker, the write lock or the next scan.

Before this change a cycle "R/PT0S" (here computed from case data, which no static check sees)
made the worker run SpiffWorkflow's engine steps for ever, and a multi-instance task of ten million
instances grew until the machine gave up: these tests then never returned.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from engine.errors import ConflictError, InvalidInput, StepFailed
from tests.engine.helpers import START, make_engine, model_files

LATER = START + timedelta(days=2)  # the one-day waits of the test models fell due
BOUND = 2.0  # the engine's default CPU seconds per step
SLACK = 8.0  # rolling back, a second step and the test's own work; far below "for ever"


@pytest.fixture
def engines(db):
    """One engine to set the cases up at START, and the worker's engine two days later."""
    setup = make_engine(db)
    setup.deploy(model_files("cyclus.bpmn", "veel.bpmn", "wacht.bpmn"))
    return setup, make_engine(db, clock=_clock(LATER))


def _clock(at):
    from engine.clock import FixedClock
    return FixedClock(at)


def _fired(engine, case_id: int) -> int:
    return sum(1 for e in engine.history(case_id) if e.kind == "timer_fired")


def test_a_computed_zero_cycle_becomes_an_incident_and_the_other_gemeente_goes_on(engines):
    setup, worker = engines
    poisoned, _ = setup.start_case("woerden", "999990019", "Jan Jansen", "cyclus", {"cyclus": "R/PT0S"})
    healthy, _ = setup.start_case("apeldoorn", "999990027", "Piet Pietersen", "wacht", {})

    began = time.monotonic()
    fired = worker.run_due()
    assert time.monotonic() - began < BOUND + SLACK
    assert fired == 1 and _fired(worker, healthy.id) == 1  # Apeldoorn's timer fired
    assert [t.title for t in worker.ready_tasks(case_id=healthy.id)] == ["Na een dag"]

    [incident] = worker.incidents("woerden")
    assert (incident.case_number, incident.element, incident.occurrences) == (poisoned.case_number,
                                                                              "Herinnering", 1)
    assert "de cyclus 'R/PT0S' herhaalt vaker dan eens per minuut" in incident.error
    assert worker.incidents("apeldoorn") == []
    history = worker.history(poisoned.id)
    assert history[-1].kind == "incident_opened"
    assert history[-1].payload["error"] == incident.error
    assert _fired(worker, poisoned.id) == 0  # the step itself was rolled back
    assert worker.verify(poisoned.id).ok

    # The next scan skips it: no second attempt, no second event.
    assert worker.run_due() == 0
    assert worker.incident(incident.id, "woerden").occurrences == 1
    assert len(worker.history(poisoned.id)) == len(history)


def test_a_duration_of_a_hundred_million_years_is_refused_at_once(engines):
    setup, worker = engines
    setup.start_case("woerden", "999990019", "Jan Jansen", "cyclus", {"cyclus": "R2/P99999999Y"})
    began = time.monotonic()
    worker.run_due()
    assert time.monotonic() - began < BOUND  # before: months counted one by one until killed
    [incident] = worker.incidents("woerden")
    assert "de duur 'P99999999Y' is langer dan 100 jaar" in incident.error


def test_a_case_start_that_meets_such_a_timer_is_refused_and_writes_nothing(db):
    engine = make_engine(db)
    engine.deploy(model_files("wacht.bpmn"))
    files = {"lang.bpmn": model_files("wacht.bpmn")["wacht.bpmn"].replace(
        b'"P1D"', b'duur').replace(b'id="wacht"', b'id="lang"')}
    engine.deploy(files)
    said = r"in Tussengebeurtenis ‘Een dag’ \(dag\): de duur 'P99999999Y' is langer dan 100 jaar"
    with pytest.raises(StepFailed, match=said):
        engine.start_case("woerden", "999990019", "Jan Jansen", "lang", {"duur": "P99999999Y"})
    assert engine.case_ids() == []  # nothing half-written


def test_engine_work_of_the_model_runs_under_the_step_bound(db):
    """Ten million multi-instance tasks: no script runs, it is SpiffWorkflow's own loop."""
    setup = make_engine(db)
    setup.deploy(model_files("veel.bpmn", "wacht.bpmn"))
    heavy, _ = setup.start_case("woerden", "999990019", "Jan Jansen", "veel", {"aantal": 10**7})
    healthy, _ = setup.start_case("apeldoorn", "999990027", "Piet Pietersen", "wacht", {})
    worker = make_engine(db, clock=_clock(LATER), cpu_seconds=0.5)

    began = time.monotonic()
    assert worker.run_due() == 1
    assert time.monotonic() - began < 0.5 + SLACK
    assert _fired(worker, healthy.id) == 1
    [incident] = worker.incidents("woerden")
    assert incident.case_number == heavy.case_number
    assert "grens van 0.5 s CPU-tijd per stap" in incident.error


def test_retry_puts_the_instance_back_and_a_second_failure_counts(engines):
    setup, worker = engines
    poisoned, _ = setup.start_case("woerden", "999990019", "Jan Jansen", "cyclus", {"cyclus": "R/PT0S"})
    worker.run_due()
    [incident] = worker.incidents("woerden")

    again = worker.retry_incident(incident.id, "woerden", "beheerder.woerden")
    # The step ran again at once; the model is still wrong, so the incident is open again.
    assert (again.id, again.status, again.occurrences) == (incident.id, "open", 2)
    assert [e.kind for e in worker.history(poisoned.id)][-2:] == ["incident_retried", "incident_opened"]
    assert worker.run_due() == 0  # and the worker skips it again
    worker.cancel_incident(incident.id, "woerden", "beheerder.woerden", "model fout")
    with pytest.raises(ConflictError, match="al afgehandeld"):  # what is no longer open
        worker.retry_incident(incident.id, "woerden", "beheerder.woerden")


def test_cancel_ends_the_instance_with_its_reason_and_the_case_still_verifies(engines):
    setup, worker = engines
    poisoned, _ = setup.start_case("woerden", "999990019", "Jan Jansen", "cyclus", {"cyclus": "R/PT0S"})
    worker.run_due()
    [incident] = worker.incidents("woerden")
    with pytest.raises(InvalidInput, match="reden"):
        worker.cancel_incident(incident.id, "woerden", "beheerder.woerden", "  ")
    with pytest.raises(Exception, match="bestaat niet"):  # another gemeente's incident is not there
        worker.cancel_incident(incident.id, "apeldoorn", "beheerder.apeldoorn", "weg ermee")

    done = worker.cancel_incident(incident.id, "woerden", "beheerder.woerden", "model hersteld in v2")
    assert (done.status, done.reason, done.resolved_by) == ("cancelled", "model hersteld in v2",
                                                            "beheerder.woerden")
    last = worker.history(poisoned.id)[-1]
    assert (last.kind, last.payload["reason"]) == ("instance_cancelled", "model hersteld in v2")
    assert worker.ready_tasks(case_id=poisoned.id) == []
    assert worker.run_due() == 0
    assert worker.verify(poisoned.id).ok


def test_deploy_refuses_a_literal_zero_cycle(db):
    from engine.models.validation import BundleInvalid

    engine = make_engine(db)
    text = model_files("cyclus.bpmn")["cyclus.bpmn"].replace(b"<bpmn:timeCycle>cyclus<",
                                                             b'<bpmn:timeCycle>"R/PT0S"<')
    said = r"Randgebeurtenis ‘Herinnering’ \(herinnering\): timer: de cyclus 'R/PT0S' herhaalt vaker"
    with pytest.raises(BundleInvalid, match=said):
        engine.deploy({"cyclus.bpmn": text})


def test_a_failing_scheduled_start_does_not_hold_up_the_work_after_it(db):
    """A schedule whose process fails at its start stays due (there is no instance to put aside)
    but no longer ends the worker's round: the next schedule, of another gemeente, still starts."""
    engine = make_engine(db)
    engine.deploy({"lang.bpmn": model_files("wacht.bpmn")["wacht.bpmn"].replace(
        b'"P1D"', b"duur").replace(b'id="wacht"', b'id="lang"')})
    engine.deploy(model_files("wacht.bpmn"))
    bad = engine.open_case("woerden", "999990019", "Jan Jansen", actor="cm1")
    engine.schedule(bad.id, "lang", first_due=START, every="P1Y", data={"duur": "P99999999Y"})
    good = engine.open_case("apeldoorn", "999990027", "Piet Pietersen", actor="cm1")
    engine.schedule(good.id, "wacht", first_due=START + timedelta(hours=1), every="P1Y")

    worker = make_engine(db, clock=_clock(LATER))
    assert worker.run_due() == 1
    assert [e.kind for e in worker.history(good.id)][-1] == "instance_started"
    assert [e.kind for e in worker.history(bad.id)][-1] == "schedule_set"  # rolled back, still due


def test_a_cycle_stored_before_the_bounds_is_refused_at_its_next_firing(engines, monkeypatch):
    """A case that reached its zero cycle before this change keeps the parsed cycle in its state;
    the bounds check that too, so the worker puts it aside at once instead of at the CPU limit."""
    from engine.sandbox import timer_bounds

    setup, _ = engines
    poisoned, _ = setup.start_case("woerden", "999990019", "Jan Jansen", "cyclus", {"cyclus": "R/PT0S"})
    with monkeypatch.context() as before_the_change:
        before_the_change.setattr(timer_bounds, "check_cycle", lambda *args: None)
        assert make_engine(setup.db, clock=_clock(LATER)).run_due() == 1  # the wait; the cycle starts
    later = make_engine(setup.db, clock=_clock(LATER + timedelta(minutes=1)))
    began = time.process_time()
    assert later.run_due() == 0
    assert time.process_time() - began < BOUND / 2
    [incident] = later.incidents("woerden")
    assert "de cyclus 'R/PT0S' herhaalt vaker dan eens per minuut" in incident.error


def test_retry_after_moving_the_case_to_a_corrected_version_carries_on(engines):
    """The fix Camunda users know: correct the model, migrate the case to it, retry the incident."""
    from engine.models.case_migration import Migrator

    setup, worker = engines
    poisoned, _ = setup.start_case("woerden", "999990019", "Jan Jansen", "cyclus", {"cyclus": "R/PT0S"})
    worker.run_due()
    [incident] = worker.incidents("woerden")
    corrected = model_files("cyclus.bpmn")["cyclus.bpmn"].replace(
        b"<bpmn:timeCycle>cyclus<", b'<bpmn:timeCycle>"R3/P1D"<')
    [version] = worker.deploy({"cyclus.bpmn": corrected}, gemeente="woerden").versions
    [moved] = Migrator(worker).migrate(version.id, [incident.instance_id], "procesontwerper.woerden")
    assert moved.migrated, moved.message

    retried = worker.retry_incident(incident.id, "woerden", "beheerder.woerden")
    assert retried.status == "retried"  # the step ran: the day's wait is over, the cycle sane
    assert [t.title for t in worker.ready_tasks(case_id=poisoned.id)] == ["Werk"]
    assert worker.incidents("woerden") == []
    assert worker.verify(poisoned.id).ok

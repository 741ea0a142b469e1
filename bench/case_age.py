"""Benchmark 2: a step in a four-year-old dossier against the same step in a brand-new one.

An old dossier is built through the engine API with a FixedClock, the way a real one grows: an
intake (with its timer, the evaluation it starts and the signed-plan message), two placements and
eight six-monthly evaluations, every one a completed process instance of its own with its events.

The measured step is completing the conversation task of a new evaluation instance: in an old
dossier, and in a dossier opened just before. Every repetition opens a new evaluation in the next
old dossier (round robin), so each old dossier gains only a few instances during the run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from bench.bundle import GEMEENTE, START, bsn, case_engine
from bench.stats import Samples, in_turns
from engine.clock import FixedClock
from engine.service import CaseEngine
from engine.storage.db import instances

EVALUATION_MONTHS = [6, 12, 18, 24, 30, 36, 42, 48]  # the first is the one the intake starts
PLACEMENT_MONTHS = [2, 26]
MEASURE_MONTH = 49
WARMUP_REPS = 4


@dataclass
class AgeResult:
    old: Samples
    new: Samples
    old_case_instances: int  # per old dossier when the measuring starts
    old_case_events: int


def at_month(clock: FixedClock, month: int, days: int = 0, hours: int = 0) -> None:
    clock.set(START + relativedelta(months=month) + timedelta(days=days, hours=hours))


def complete_in(engine: CaseEngine, case_id: int, process_id: str, data: dict) -> None:
    """Complete the one ready user task of ``process_id`` in the dossier."""
    (item,) = [t for t in engine.ready_tasks(case_id=case_id) if t.process_id == process_id]
    engine.complete(item.task_id, data, actor="cm1")


def run_intake(engine: CaseEngine, clock: FixedClock, client: int) -> int:
    """Open the dossier and take the intake to its end; it leaves the first evaluation open."""
    at_month(clock, 0)
    case, _ = engine.start_case(GEMEENTE, bsn(client), "Oude Klant", "intake", {"peildatum": START.date()})
    complete_in(engine, case.id, "intake", {"trede": 4})  # diagnose
    complete_in(engine, case.id, "intake", {"plan": "werkfit"})  # plan van aanpak
    # An hour past due: SpiffWorkflow fires a timer only once its due time is strictly past.
    at_month(clock, 0, days=14, hours=1)
    engine.fire_due_timers()  # bedenktijd over: the service task starts evaluation 1
    engine.deliver_message("PlanOndertekend", {"door": "inwoner"}, case_id=case.id)
    complete_in(engine, case.id, "intake", {"afgerond": True})
    return case.id


def run_placement(engine: CaseEngine, clock: FixedClock, case_id: int, month: int) -> None:
    at_month(clock, month)
    engine.start_process(case_id, "bench_plaatsing", {"uren": 24})
    complete_in(engine, case_id, "bench_plaatsing", {"werkgever": "Bakkerij De Korrel"})
    at_month(clock, month + 1)
    complete_in(engine, case_id, "bench_plaatsing", {"startdatum": date(2022, 6, 1)})
    at_month(clock, month + 3)
    complete_in(engine, case_id, "bench_plaatsing", {"oordeel": "goed"})


def build_old_case(engine: CaseEngine, clock: FixedClock, client: int) -> int:
    """Four simulated years of one dossier; returns its id."""
    case_id = run_intake(engine, clock, client)
    placements = list(PLACEMENT_MONTHS)
    for n, month in enumerate(EVALUATION_MONTHS):
        while placements and placements[0] < month:
            run_placement(engine, clock, case_id, placements.pop(0))
        at_month(clock, month)
        if n > 0:  # evaluation 1 was started by the intake
            engine.start_process(case_id, "evaluatie", {"trede": 4})
        complete_in(engine, case_id, "evaluatie", {"verslag": f"evaluatie {n + 1}", "trede": 4})
    return case_id


def _history_size(engine: CaseEngine, case_id: int) -> tuple[int, int]:
    with engine.db.connect() as conn:
        count = conn.execute(select(func.count()).select_from(instances)
                             .where(instances.c.case_id == case_id)).scalar_one()
    return count, len(engine.history(case_id))


class Dossiers:
    """Opens a new evaluation (not timed) and times completing its task, in old or new dossiers."""

    def __init__(self, engine: CaseEngine, old_cases: list[int], first_client: int) -> None:
        self.engine = engine
        self.old_cases = old_cases
        self.next_client = first_client
        self.old = Samples("old")
        self.new = Samples("new")
        self.turn = 0

    def step_old(self) -> None:
        case_id = self.old_cases[self.turn % len(self.old_cases)]
        instance_id = self.engine.start_process(case_id, "evaluatie", {"trede": 4})
        self._complete(case_id, instance_id, self.old)

    def step_new(self) -> None:
        self.next_client += 1
        case, instance_id = self.engine.start_case(GEMEENTE, bsn(self.next_client), "Nieuwe Klant",
                                                   "evaluatie", {"trede": 4})
        self._complete(case.id, instance_id, self.new)

    def _complete(self, case_id: int, instance_id: int, samples: Samples) -> None:
        (item,) = [t for t in self.engine.ready_tasks(case_id=case_id) if t.instance_id == instance_id]
        data = {"verslag": "evaluatie", "trede": 4}
        samples.timed(lambda: self.engine.complete(item.task_id, data, actor="cm1"))


def run(url: str, old_cases: int, reps: int) -> AgeResult:
    clock = FixedClock(START)
    engine = case_engine(url, clock)
    built = [build_old_case(engine, clock, client) for client in range(1, old_cases + 1)]
    size = _history_size(engine, built[0])
    at_month(clock, MEASURE_MONTH)
    dossiers = Dossiers(engine, built, first_client=old_cases + 1000)
    for rep in range(WARMUP_REPS + reps):
        if rep == WARMUP_REPS:
            dossiers.old.ns.clear()
            dossiers.new.ns.clear()
        dossiers.turn = rep
        in_turns(rep, dossiers.step_old, dossiers.step_new)
    engine.db.dispose()
    return AgeResult(dossiers.old, dossiers.new, *size)

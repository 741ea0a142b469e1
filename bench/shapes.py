"""Case "shapes": short histories driven through the real engine, the templates the generator copies.

Every shape is a dossier as it looks some time after it was opened: several process instances
(intake, evaluations, placements, the chain, a waiting timer), some finished, some open, a claim,
legal deadlines. Each ends with exactly three open user tasks, so N generated cases carry 3·N
tasks. They run through ``CaseEngine`` with a ``FixedClock``: the rows they leave (state, events,
worklist, waits, deadlines) are what the engine itself writes, and the generator only renames them.

Placeholders ``TEMPLATE_USER`` and ``TEMPLATE_GEMEENTE`` are strings the generator replaces per
copy; they must not occur in anything else the engine writes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.bundle import KETEN_DATA, KETEN_PROCESS
from engine.clock import FixedClock
from engine.service import CaseEngine

TEMPLATE_USER = "tplusr0"
TEMPLATE_GEMEENTE = "tplgem0"


@dataclass
class Driver:
    """The engine, its clock, and the moment the shape's history ends (its "now")."""

    engine: CaseEngine
    clock: FixedClock
    end: datetime
    variant: int

    def at(self, days_before_end: float) -> None:
        self.clock.set(self.end - timedelta(days=days_before_end))

    def open(self, bsn: str) -> int:
        return self.engine.open_case(TEMPLATE_GEMEENTE, bsn, "Sjabloon Klant", "system").id

    def start(self, case_id: int, process_id: str, data: dict | None = None) -> int:
        return self.engine.start_process(case_id, process_id, data or {})

    def complete(self, case_id: int, instance_id: int, data: dict, claim: bool = False) -> None:
        item = self.task(case_id, instance_id)
        if claim:
            self.engine.claim(item.task_id, TEMPLATE_USER)
        self.engine.complete(item.task_id, data, actor=TEMPLATE_USER)

    def claim(self, case_id: int, instance_id: int) -> None:
        self.engine.claim(self.task(case_id, instance_id).task_id, TEMPLATE_USER)

    def task(self, case_id: int, instance_id: int):
        (item,) = [t for t in self.engine.ready_tasks(case_id=case_id) if t.instance_id == instance_id]
        return item

    def deadline(self, case_id: int, name: str, term: str, kind: str = "fatale_termijn") -> None:
        # Start dates spread over the variants, so that copies sort differently on their deadline.
        start = (self.clock.now() - timedelta(days=3 * self.variant)).date()
        self.engine.add_deadline(case_id, name, start, term, actor=TEMPLATE_USER, kind=kind)


def nieuw(d: Driver, bsn: str) -> int:
    """Just opened: intake at the diagnosis (claimed), an evaluation and a placement waiting."""
    d.at(2)
    case_id = d.open(bsn)
    intake = d.start(case_id, "intake", {"peildatum": d.clock.now().date()})
    d.claim(case_id, intake)
    d.deadline(case_id, "besluit aanvraag", "P8W")
    d.at(1)
    d.start(case_id, "evaluatie", {"trede": 3})
    d.start(case_id, "bench_plaatsing", {"uren": 16})
    return case_id


def plan(d: Driver, bsn: str) -> int:
    """Diagnosis done, plan open; one evaluation done and the next open; a placement under way."""
    d.at(60)
    case_id = d.open(bsn)
    intake = d.start(case_id, "intake", {"peildatum": d.clock.now().date()})
    d.deadline(case_id, "besluit aanvraag", "P8W")
    d.deadline(case_id, "plan gereed", "P6W", kind="streefdatum")
    evaluatie = d.start(case_id, "evaluatie", {"trede": 4})
    d.at(45)
    d.complete(case_id, intake, {"trede": 4}, claim=True)
    d.claim(case_id, intake)
    d.complete(case_id, evaluatie, {"verslag": "eerste gesprek", "trede": 4})
    d.at(20)
    plaatsing = d.start(case_id, "bench_plaatsing", {"uren": 24})
    d.complete(case_id, plaatsing, {"werkgever": "Bakkerij De Korrel"})
    d.at(3)
    d.start(case_id, "evaluatie", {"trede": 4})
    return case_id


def bedenktijd(d: Driver, bsn: str) -> int:
    """Plan made, the intake waits out its 14-day timer; the chain and two others are open."""
    d.at(30)
    case_id = d.open(bsn)
    intake = d.start(case_id, "intake", {"peildatum": d.clock.now().date()})
    d.complete(case_id, intake, {"trede": 2}, claim=True)  # trede <= 2: the activation branch
    d.at(10)
    d.complete(case_id, intake, {"activering": "werkervaringsplek"})
    d.deadline(case_id, "evaluatie gepland", "P3M", kind="streefdatum")
    d.at(5)
    keten = d.start(case_id, KETEN_PROCESS, {})
    d.claim(case_id, keten)
    d.start(case_id, "evaluatie", {"trede": 2})
    d.at(1)
    d.start(case_id, "bench_plaatsing", {"uren": 36})
    return case_id


def lang(d: Driver, bsn: str) -> int:
    """Two years of history: intake through its timer and message, placements, evaluations."""
    d.at(730)
    case_id = d.open(bsn)
    intake = d.start(case_id, "intake", {"peildatum": d.clock.now().date()})
    d.complete(case_id, intake, {"trede": 4}, claim=True)
    d.complete(case_id, intake, {"plan": "werkfit"})
    d.at(730 - 15)  # past the 14-day timer: the service task starts the first evaluation
    d.engine.fire_due_timers()
    d.engine.deliver_message("PlanOndertekend", {"door": "inwoner"}, case_id=case_id)
    d.complete(case_id, intake, {"afgerond": True})
    for days in (550, 370, 190):
        d.at(days)
        evaluaties = [t for t in d.engine.ready_tasks(case_id=case_id) if t.process_id == "evaluatie"]
        if not evaluaties:
            d.start(case_id, "evaluatie", {"trede": 3})
            evaluaties = [t for t in d.engine.ready_tasks(case_id=case_id) if t.process_id == "evaluatie"]
        d.engine.complete(evaluaties[0].task_id, {"verslag": f"evaluatie dag {days}", "trede": 3},
                          actor=TEMPLATE_USER)
    d.at(400)
    plaatsing = d.start(case_id, "bench_plaatsing", {"uren": 24})
    for data in ({"werkgever": "Gemeentewerf"}, {"start": "maandag"}, {"oordeel": "goed"}):
        d.complete(case_id, plaatsing, data)
    d.at(40)
    d.deadline(case_id, "herbeoordeling", "P8W")
    d.at(20)
    keten = d.start(case_id, KETEN_PROCESS, {})
    d.complete(case_id, keten, KETEN_DATA["registreren"])
    d.complete(case_id, keten, KETEN_DATA["controleren"])
    d.at(10)
    d.start(case_id, "bench_plaatsing", {"uren": 32})
    evaluatie = d.start(case_id, "evaluatie", {"trede": 3})
    d.claim(case_id, evaluatie)
    return case_id


def wacht(d: Driver, bsn: str) -> int:
    """A one-day timer running beside an intake, an evaluation and a placement."""
    d.at(3)
    case_id = d.open(bsn)
    intake = d.start(case_id, "intake", {"peildatum": d.clock.now().date()})
    d.deadline(case_id, "besluit aanvraag", "P8W")
    d.start(case_id, "evaluatie", {"trede": 5})
    d.claim(case_id, intake)
    d.at(0.5)
    d.start(case_id, "bench_plaatsing", {"uren": 8})
    d.start(case_id, "wacht", {})
    return case_id


def alleen_timer(d: Driver, bsn: str) -> int:
    """For the timer benchmark: one instance waiting on a one-day timer (due at ``end`` + 1 day)."""
    d.at(0)
    case_id = d.open(bsn)
    d.start(case_id, "wacht", {})
    return case_id


Shape = Callable[[Driver, str], int]
MIXED: dict[str, Shape] = {"nieuw": nieuw, "plan": plan, "bedenktijd": bedenktijd, "lang": lang,
                           "wacht": wacht}
TIMER_ONLY: dict[str, Shape] = {"alleen_timer": alleen_timer}

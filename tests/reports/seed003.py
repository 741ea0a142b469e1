"""A Woerden caseload built to seed 003's standcijfers, through the engine and the real
yearly ladder measurement process (ladder_jaarlijks), on a FixedClock.

Seed 003, "Resultaten participatieladder", standcijfers:
    trede           1 jan 2012      31 dec 2012
    1. Geïsoleerd        64  18%        38  10%
    2. Sociale contacten 113 50%       132  44%
    3. Georganiseerd     76  71%        84  66%
    4. Onbetaald werk    65  90%        93  90%
    5. Betaald m. ond.   34  99%        38 100%
    6. Betaald werk       2 100%         1 100%
                        354            386

The seed gives only the two stocks. How people moved between them is ours (MOVES below): every
person measured in December 2011 is measured again a year later (the process plans it), some
move a rung, some leave (uitstroom measurement or a closed case), and people who came in during
2012 make up the rest. Rows of MOVES: trede on 1 Jan; columns: trede on 31 Dec, then "left".
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from engine.clock import FixedClock
from engine.service import CaseEngine
from processes.catalogue import deploy_all
from processes.demo import demo_bsns
from processes.wiring import decision_provider

GEMEENTE = "woerden"
START_2012 = [64, 113, 76, 65, 34, 2]  # seed 003, 1 jan 2012
END_2012 = [38, 132, 84, 93, 38, 1]  # seed 003, 31 dec 2012
MOVES = {  # from trede -> ([count on trede 1..6 at 31 Dec], left during 2012)
    1: ([30, 30, 0, 0, 0, 0], 4),
    2: ([0, 95, 12, 0, 0, 0], 6),
    3: ([0, 0, 62, 10, 0, 0], 4),
    4: ([0, 0, 2, 58, 3, 0], 2),
    5: ([0, 0, 0, 0, 30, 1], 3),
    6: ([0, 0, 0, 0, 0, 0], 2),
}
# People who came in during 2012 (first measured in June), per trede on 31 Dec.
NEW_2012 = [END_2012[t] - sum(MOVES[f][0][t] for f in MOVES) for t in range(6)]
CLOSED_EXITS = 1  # of the people leaving per trede, this many leave by a closed case (rest: uitstroom)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def make_engine(db) -> CaseEngine:
    engine = CaseEngine(db, clock=FixedClock(at(date(2011, 12, 1))), decisions=decision_provider())
    deploy_all(engine)
    return engine


def fire_all(engine: CaseEngine) -> None:
    while engine.fire_due_timers(limit=500):
        pass


def measure(engine: CaseEngine, case_id: int, trede: int, on: date, uitgestroomd: bool = False) -> None:
    """Complete the open 'Ladderpositie en groeipotentieel bepalen' task of the case."""
    [task] = [t for t in engine.ready_tasks(case_id=case_id) if t.task_name == "meten"]
    engine.complete(task.task_id, {"trede": trede, "groeipotentieel": "gemiddeld", "meetdatum": on,
                                   "uitgestroomd": uitgestroomd}, actor="cm.woerden")


def start(engine: CaseEngine, bsns: Iterator[str], trede: int, due: date) -> int:
    case, _ = engine.start_case(GEMEENTE, next(bsns), "Inwoner Woerden", "ladder_jaarlijks",
                                {"trede": trede, "volgendeMeting": due.isoformat()}, actor="cm.woerden")
    return case.id


def build(engine: CaseEngine) -> dict[str, list[int]]:
    """The whole of 2012; returns case ids by what happened to them."""
    bsns = demo_bsns()
    clock = engine.clock
    assert isinstance(clock, FixedClock)
    # December 2011: the caseload of 1 January, each with a measurement.
    plan: list[tuple[int, int | None]] = []  # (trede on 1 Jan, trede on 31 Dec or None = leaves)
    for trede, (to, left) in MOVES.items():
        plan += [(trede, t + 1) for t in range(6) for _ in range(to[t])] + [(trede, None)] * left
    assert [sum(1 for f, _ in plan if f == t) for t in range(1, 7)] == START_2012
    december = date(2011, 12, 12)
    clock.set(at(december))
    cases = [start(engine, bsns, first, december) for first, _ in plan]
    fire_all(engine)
    for case_id, (first, _) in zip(cases, plan, strict=True):
        measure(engine, case_id, first, december)
    # June 2012: newcomers, first measured at instroom into the yearly cycle.
    june = date(2012, 6, 14)
    clock.set(at(june))
    newcomers = []
    for t, count in enumerate(NEW_2012, start=1):
        for _ in range(count):
            newcomers.append(start(engine, bsns, t, june))
    fire_all(engine)
    for case_id, t in zip(newcomers, [t for t, n in enumerate(NEW_2012, 1) for _ in range(n)], strict=True):
        measure(engine, case_id, t, june)
    # December 2012: the yearly measurement falls due a year after the last one.
    clock.set(at(date(2012, 12, 13)))
    fire_all(engine)
    closed, left_by_measurement, exits_seen = [], [], dict.fromkeys(MOVES, 0)
    for case_id, (first, second) in zip(cases, plan, strict=True):
        if second is not None:
            measure(engine, case_id, second, date(2012, 12, 13))
        elif exits_seen[first] < CLOSED_EXITS:
            exits_seen[first] += 1
            engine.close_case(case_id, "beeindigd", "P10Y", actor="cm.woerden")
            closed.append(case_id)
        else:
            measure(engine, case_id, first, date(2012, 12, 13), uitgestroomd=True)
            left_by_measurement.append(case_id)
    return {"caseload": cases, "newcomers": newcomers, "closed": closed, "uitstroom": left_by_measurement}

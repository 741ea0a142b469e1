"""A case lived through on a fixed clock, with what trede showed at three moments along the way."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from engine.models import versions
from engine.service import CaseEngine
from engine.storage.db import instances
from engine.storage.state import load_state
from engine.worklist import ready_user_tasks
from tests.web.helpers import start_case

DAYS = ("2026-01-05", "2026-01-07", "2026-01-12")  # the three moments, Dutch dates


@dataclass
class Moment:
    event_count: int
    worklist: list[tuple[str, str, str | None]]  # (task id, title, claimed by), as the worklist showed
    data: dict[int, dict]  # instance id -> the data the open task of the instance carried


def snapshot(engine: CaseEngine, case_id: int) -> Moment:
    """What the case showed at this moment: its worklist rows and its stored workflow data."""
    worklist = sorted((t.task_id, t.title, t.claimed_by) for t in engine.ready_tasks(case_id=case_id))
    data = {}
    with engine.db.connect() as conn:
        for row in conn.execute(select(instances).where(instances.c.case_id == case_id)).mappings():
            spec, subs = engine.specs.get(conn, versions.get_version(conn, row["process_version_id"]))
            workflow = load_state(row["state"], spec, subs)
            ready = ready_user_tasks(workflow)
            data[row["id"]] = dict(ready[0].data) if ready else dict(workflow.data)
    return Moment(len(engine.history(case_id)), worklist, data)


def live_case(engine: CaseEngine):
    """Day 1 opened; day 3 diagnosis done and the decision claimed; day 8 decided; day 11 closed."""
    clock = engine.clock
    moments: dict[str, Moment] = {}
    case, _ = start_case(engine)
    moments[DAYS[0]] = snapshot(engine, case.id)
    clock.advance(timedelta(days=2))
    diagnose = engine.ready_tasks(case_id=case.id)[0]
    engine.claim(diagnose.task_id, "cm")
    engine.complete(diagnose.task_id, {"trede": 3, "toelichting": "Eerste gesprek"}, actor="cm")
    engine.claim(engine.ready_tasks(case_id=case.id)[0].task_id, "cm2")
    moments[DAYS[1]] = snapshot(engine, case.id)
    clock.advance(timedelta(days=5))
    besluit = engine.ready_tasks(case_id=case.id)[0]
    engine.complete(besluit.task_id, {"besluit": "toekennen", "motivering": "Recht volgens R3"}, actor="cm2")
    moments[DAYS[2]] = snapshot(engine, case.id)
    clock.advance(timedelta(days=3))
    engine.complete(engine.ready_tasks(case_id=case.id)[0].task_id, {}, actor="cm")
    return case, moments


_CELL = '<td class="utrecht-table__cell">'
_OPEN_ROW = re.compile(r'<tr class="utrecht-table__row" data-task-id="([^"]+)">'
                       rf'{_CELL}([^<]*)</td>{_CELL}\d+</td>{_CELL}([^<]*)</td></tr>')


def open_tasks_on_page(html: str) -> list[tuple[str, str, str | None]]:
    """The "Openstaande taken" rows of the auditor's case page."""
    return sorted((task_id, title, None if who == "niemand" else who)
                  for task_id, title, who in _OPEN_ROW.findall(html))

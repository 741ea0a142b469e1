"""The event histories of one gemeente's cases as they stood at the end of a reference day.

Only events with ``at`` before the cut-off are read: later events (a late measurement, a
correction made next month) never change a figure computed for an earlier date.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from engine.storage.db import cases, events, read_only
from engine.storage.state import data_from_json
from processes.reports.periods import end_of_day


@dataclass(frozen=True)
class Event:
    seq: int
    kind: str
    at: datetime
    instance_id: int | None
    task_id: str | None
    task_name: str | None
    payload: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        """The submitted form data of a task, or the start data of an instance."""
        found = self.payload.get("data")
        return found if isinstance(found, dict) else {}


@dataclass
class CaseEvents:
    case_id: int
    case_number: str
    client_id: int
    events: list[Event] = field(default_factory=list)
    processes: dict[int, str] = field(default_factory=dict)  # instance id -> process id
    start_data: dict[int, dict[str, Any]] = field(default_factory=dict)  # instance id -> start data

    def closed(self) -> bool:
        return any(e.kind == "case_closed" for e in self.events)

    def process_of(self, event: Event) -> str | None:
        return self.processes.get(event.instance_id) if event.instance_id is not None else None


def load(db: Engine, gemeente: str, as_of: date) -> list[CaseEvents]:
    """Every case of ``gemeente`` with its events up to the end of ``as_of`` (Amsterdam)."""
    cut = end_of_day(as_of)
    query = (select(events.c.case_id, events.c.seq, events.c.kind, events.c.at, events.c.instance_id,
                    events.c.task_id, events.c.task_name, events.c.payload, cases.c.case_number,
                    cases.c.client_id)
             .join(cases, cases.c.id == events.c.case_id)
             .where(cases.c.gemeente == gemeente, events.c.at < cut)
             .order_by(events.c.case_id, events.c.seq))
    found: dict[int, CaseEvents] = {}
    with read_only(db).connect() as conn:  # a snapshot: on SQLite, steps go on while a report reads
        for row in conn.execute(query):
            case = found.get(row.case_id)
            if case is None:
                case = found[row.case_id] = CaseEvents(row.case_id, row.case_number, row.client_id)
            payload = data_from_json(row.payload)
            event = Event(row.seq, row.kind, row.at, row.instance_id, row.task_id, row.task_name,
                          payload if isinstance(payload, dict) else {})
            case.events.append(event)
            if event.kind == "instance_started" and event.instance_id is not None:
                case.processes[event.instance_id] = str(event.payload.get("process_id"))
                case.start_data[event.instance_id] = event.data
    return list(found.values())


def effective_completions(case: CaseEvents) -> list[Event]:
    """Task completions that still stand: a completion later reopened by a correction (and not
    completed again) no longer counts, the re-completion does."""
    result: list[Event] = []
    for event in case.events:
        if event.kind == "task_corrected" and event.task_id:
            result = [e for e in result if e.task_id != event.task_id]
        elif event.kind == "task_completed":
            result.append(event)
    return result

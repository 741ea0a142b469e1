"""Work that arrives from outside or from the calendar: messages, timers, recurring schedules."""
from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine

from engine.errors import EngineError, InvalidInput, NotFound, StepFailed
from engine.scheduling.deadline_ops import DeadlineOps
from engine.scheduling.incidents import IncidentOps, not_open
from engine.scheduling.periods import next_after, parse_period
from engine.steps import StepCore, _lock_case, _lock_due_timer, log
from engine.storage.db import cases, schedules, waits
from engine.storage.rows import inserted_id
from engine.storage.state import data_from_json, data_to_json

AfterStep = Callable[[Connection, dict[str, Any], datetime], dict[str, Any]]


class DueWorkOps:
    """A part of ``CaseEngine`` (``engine.due_work``); the engine offers these methods itself."""

    def __init__(self, core: StepCore, reader: Engine, deadline_ops: DeadlineOps,
                 incident_ops: IncidentOps, after_step: AfterStep | None = None) -> None:
        self.core = core
        # the application's rules on what the step made ready, in its transaction (unit_of_work)
        self.after_step: AfterStep = after_step or (lambda conn, case, now: case)
        self.reader = reader
        self.deadline_ops = deadline_ops  # run_due escalates passed deadlines too
        self.incident_ops = incident_ops  # a timer whose step fails puts its instance aside

    # -- messages and timers --------------------------------------------------------------------
    def deliver_message(self, name: str, payload: Mapping[str, Any] | None = None,
                        case_id: int | None = None, actor: str = "system") -> int:
        """Deliver a message to the instances of one case waiting for it; returns how many."""
        if case_id is None:
            raise InvalidInput("een bericht hoort bij een zaak: geef de zaak op")
        with self.core.db.begin() as conn:
            return self.deliver_in(conn, name, dict(payload or {}), [case_id], actor)

    def deliver_in(self, conn: Connection, name: str, body: dict[str, Any], case_ids: list[int],
                   actor: str) -> int:
        """Deliver within the caller's transaction (the inbox records the delivery in the same one)."""
        now = self.core.clock.now()
        targets = conn.execute(select(waits.c.instance_id, waits.c.case_id).where(
            waits.c.kind == "message", waits.c.name == name, waits.c.case_id.in_(case_ids),
        ).distinct().order_by(waits.c.instance_id)).all()
        if not targets:
            raise NotFound(f"geen zaak wacht op bericht {name!r}")
        for instance_id, target_case in targets:
            case = _lock_case(conn, target_case)

            def act(workflow: BpmnWorkflow) -> None:
                workflow.send_event(BpmnEvent(MessageEventDefinition(name), body))

            case = self.core.advance(conn, case, instance_id, actor, now, "message_delivered",
                                     {"name": name, "payload": body}, act)
            self.after_step(conn, case, now)
        return len(targets)

    def fire_due_timers(self, now: datetime | None = None, limit: int = 100,
                        gemeente: str | None = None) -> int:
        """Fire every timer that fell due before ``now``; each instance in a transaction of its own.

        SpiffWorkflow fires a timer once its due time has passed (strictly), and so do we. An
        instance with an open incident is skipped until a beheerder retries or cancels it.
        ``gemeente``: only that gemeente's cases (a caller acting for one gemeente, e.g. its API token).
        """
        now = now or self.core.clock.now()
        fired = 0
        query = select(waits.c.instance_id, func.min(waits.c.due_at)).where(
            waits.c.kind == "timer", waits.c.due_at < now, not_open(waits.c.instance_id))
        if gemeente is not None:
            query = query.where(waits.c.case_id.in_(select(cases.c.id).where(cases.c.gemeente == gemeente)))
        with self.reader.connect() as conn:
            due = list(conn.execute(query.group_by(waits.c.instance_id)
                                    .order_by(func.min(waits.c.due_at)).limit(limit)).scalars())
        # Workers that read the same due set would otherwise walk it in step and collide on every
        # row (each collision a skipped lock); a private order spreads them over the set.
        random.shuffle(due)
        for instance_id in due:
            try:
                fired += self._fire_instance_timers(instance_id, now)
            except StepFailed as exc:
                # The step rolled back; the instance is put aside as an incident, so that neither
                # this worker nor the next meets it again until someone acts on it.
                log.warning("timer van instantie %s faalde; incident: %s", instance_id, exc)
                self._put_aside(instance_id, exc)
            except EngineError as exc:
                log.warning("timer van instantie %s faalde: %s", instance_id, exc)
        return fired

    def _put_aside(self, instance_id: int, failure: StepFailed) -> None:
        try:
            self.incident_ops.record(instance_id, failure)
        except EngineError as exc:  # the case went meanwhile: nothing to put aside
            log.warning("incident van instantie %s niet vastgelegd: %s", instance_id, exc)

    def schedule(self, case_id: int, process_id: str, first_due: datetime, every: str,
                 data: Mapping[str, Any] | None = None, actor: str = "system") -> int:
        """Recurring work of the dossier: start a new instance of ``process_id`` every period."""
        parse_period(every)
        now = self.core.clock.now()
        with self.core.db.begin() as conn:
            case = _lock_case(conn, case_id)
            schedule_id = inserted_id(conn.execute(schedules.insert().values(
                case_id=case_id, process_id=process_id, every=every, next_due_at=first_due,
                data=data_to_json(dict(data or {})), active=True)))
            self.core.append(conn, case, kind="schedule_set", actor=actor, at=now, payload={
                "schedule_id": schedule_id, "process_id": process_id, "every": every,
                "first_due": first_due.isoformat()})
            return schedule_id

    def run_due(self, now: datetime | None = None, limit: int = 100) -> int:
        """Everything due: timers in running instances and the dossiers' recurring work."""
        now = now or self.core.clock.now()
        return (self.fire_due_timers(now, limit) + self.fire_due_schedules(now, limit)
                + self.deadline_ops.escalate_passed_deadlines(now, limit))

    def fire_due_schedules(self, now: datetime | None = None, limit: int = 100) -> int:
        now = now or self.core.clock.now()
        with self.reader.connect() as conn:
            due = conn.execute(select(schedules.c.id).where(
                schedules.c.active.is_(True), schedules.c.next_due_at < now,
            ).order_by(schedules.c.next_due_at).limit(limit)).scalars().all()
        fired = 0
        for schedule_id in due:
            try:
                fired += self._fire_schedule(schedule_id, now)
            except StepFailed as exc:  # rolled back; one bad schedule must not hold up the round
                log.warning("geplande start %s faalde: %s", schedule_id, exc)
        return fired

    def _fire_schedule(self, schedule_id: int, now: datetime) -> int:
        with self.core.db.begin() as conn:
            row = conn.execute(select(schedules).where(
                schedules.c.id == schedule_id, schedules.c.next_due_at < now,
            ).with_for_update(skip_locked=True)).mappings().first()
            if row is None:
                return 0  # taken by another worker meanwhile
            case = _lock_case(conn, row["case_id"])
            data = {**data_from_json(row["data"]), "gepland_op": row["next_due_at"].isoformat()}
            _, case = self.core.start_instance(conn, case, row["process_id"], data, "schedule", now)
            self.after_step(conn, case, now)
            conn.execute(update(schedules).where(schedules.c.id == schedule_id).values(
                next_due_at=next_after(row["next_due_at"], row["every"], now)))
            return 1

    def _fire_instance_timers(self, instance_id: int, now: datetime) -> int:
        with self.core.db.begin() as conn:
            # One statement finds the due timer, locks its case and reads the instance. Another
            # worker (or a step) holding the case makes it skip, never wait: exactly once, as the
            # timer's wait row goes in the same transaction as the state the firing produces.
            found = _lock_due_timer(conn, instance_id, now)
            if found is None:
                return 0  # fired meanwhile by another worker, or its case is busy: a later round
            case, inst = found
            case = self.core.advance(conn, case, instance_id, "timer", now, "timer_fired",
                                     {"at": now.isoformat()}, lambda workflow: workflow.refresh_timers(),
                                     inst=inst)
            self.after_step(conn, case, now)
            return 1

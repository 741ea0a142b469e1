"""The engine API: every operation is load -> run -> persist in ONE database transaction.

The web app, the REST API, the CLI and the worker all call these methods. Each step writes the new
workflow state, one append-only event and the worklist/wait rows together, or nothing at all.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection, Engine

from engine import deadlines, journal, retention, versions
from engine.clock import Clock, SystemClock
from engine.db import cases, clients, events, instances, schedules, waits, work_items
from engine.db import deadlines as deadlines_table
from engine.decisions import DecisionProvider
from engine.errors import ConflictError, EngineError, InvalidInput, NotFound
from engine.periods import next_after, parse_period
from engine.replay import Verdict, Verifier
from engine.runtime import Runtime, ServiceHandler, StepContext, StepOutcome, reopen_task
from engine.seal import Sealer, load_sealer
from engine.state import data_from_json, data_to_json, state_hash
from engine.termijnen import legal_date
from engine.worklist import sync_waits, sync_work_items

log = logging.getLogger("trede.engine")
INSTANCE_NAMESPACE = uuid.UUID("5f0c6d1e-6a53-4c1b-9d0a-2f3e7d1c8b21")


@dataclass(frozen=True)
class CaseRef:
    id: int
    case_number: str
    gemeente: str
    version: int


@dataclass(frozen=True)
class WorkItem:
    task_id: str
    case_id: int
    case_number: str
    case_version: int
    instance_id: int
    process_id: str
    task_name: str
    title: str
    lane: str | None
    form: str | None
    claimed_by: str | None
    created_at: datetime
    due_at: datetime | None


class CaseEngine:
    def __init__(self, db: Engine, clock: Clock | None = None, decisions: DecisionProvider | None = None,
                 services: Mapping[str, ServiceHandler] | None = None, cpu_seconds: float = 2.0,
                 sealer: Sealer | None = None, escalation_process: str = "termijn_escalatie") -> None:
        self.db = db
        self.escalation_process = escalation_process
        self.sealer = sealer or load_sealer()
        self.clock = clock or SystemClock()
        self.runtime = Runtime(decisions, services or {}, cpu_seconds)
        self.specs = versions.SpecCache()

    # -- deployment -------------------------------------------------------------------------
    def deploy(self, files: Mapping[str, bytes], gemeente: str = versions.SHARED,
               actor: str = "system") -> versions.DeployResult:
        with self.db.begin() as conn:
            return versions.deploy(conn, files, gemeente, actor, self.clock.now())

    # -- cases --------------------------------------------------------------------------------
    def open_case(self, gemeente: str, bsn: str, naam: str, actor: str,
                  geboortedatum: str | None = None) -> CaseRef:
        """A new dossier for a client (created on first sight, found again by BSN)."""
        now = self.clock.now()
        with self.db.begin() as conn:
            client_id = _client_id(conn, gemeente, bsn, naam, geboortedatum, now)
            case_id = conn.execute(cases.insert().values(
                # the number is derived from the id, which we only know after the insert
                case_number=f"tmp-{uuid.uuid4().hex[:24]}", gemeente=gemeente, client_id=client_id,
                status="open", version=0, event_count=0, head_hash=journal.GENESIS, created_at=now,
            )).inserted_primary_key[0]
            number = f"Z{now.year}-{case_id:06d}"
            conn.execute(update(cases).where(cases.c.id == case_id).values(case_number=number))
            case = _lock_case(conn, case_id)
            case = self._append(conn, case, kind="case_opened", actor=actor, at=now,
                                  payload={"gemeente": gemeente, "client_id": client_id})
            return _ref(case)

    def start_process(self, case_id: int, process_id: str, data: Mapping[str, Any] | None = None,
                      actor: str = "system", expected_version: int | None = None) -> int:
        """Start a new process instance in the dossier; returns the instance id."""
        now = self.clock.now()
        with self.db.begin() as conn:
            case = _lock_case(conn, case_id, expected_version)
            instance_id, _ = self._start_instance(conn, case, process_id, dict(data or {}), actor, now)
            return instance_id

    def start_case(self, gemeente: str, bsn: str, naam: str, process_id: str,
                   data: Mapping[str, Any] | None = None, actor: str = "system") -> tuple[CaseRef, int]:
        case = self.open_case(gemeente, bsn, naam, actor)
        instance_id = self.start_process(case.id, process_id, data, actor)
        return self.get_case(case.id), instance_id

    def get_case(self, case_id: int) -> CaseRef:
        with self.db.connect() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise NotFound(f"zaak {case_id} bestaat niet")
        return _ref(row)

    def verify(self, case_id: int) -> Verdict:
        """Check the case's chain and seal and replay it against what is stored (read only)."""
        with self.db.connect() as conn:
            return Verifier(self.runtime, self.specs, self.sealer).verify(conn, case_id)

    def case_id_of(self, case_number: str) -> int:
        with self.db.connect() as conn:
            found = conn.execute(select(cases.c.id).where(cases.c.case_number == case_number)).scalar()
        if found is None:
            raise NotFound(f"zaak {case_number} bestaat niet")
        return found

    def case_ids(self) -> list[int]:
        with self.db.connect() as conn:
            return list(conn.execute(select(cases.c.id).order_by(cases.c.id)).scalars())

    def history(self, case_id: int) -> list[journal.Event]:
        with self.db.connect() as conn:
            return journal.history(conn, case_id)

    # -- tasks --------------------------------------------------------------------------------
    def ready_tasks(self, gemeente: str | None = None, case_id: int | None = None,
                    claimed_by: str | None = None) -> list[WorkItem]:
        query = (select(work_items, cases.c.case_number, cases.c.version.label("case_version"))
                 .join(cases, cases.c.id == work_items.c.case_id)
                 .order_by(work_items.c.created_at, work_items.c.task_id))
        if gemeente is not None:
            query = query.where(work_items.c.gemeente == gemeente)
        if case_id is not None:
            query = query.where(work_items.c.case_id == case_id)
        if claimed_by is not None:
            query = query.where(work_items.c.claimed_by == claimed_by)
        with self.db.connect() as conn:
            return [_work_item(r) for r in conn.execute(query).mappings()]

    def claim(self, task_id: str, user: str, expected_version: int | None = None) -> CaseRef:
        now = self.clock.now()
        with self.db.begin() as conn:
            item = _work_item_row(conn, task_id)
            case = _lock_case(conn, item["case_id"], expected_version)
            item = _work_item_row(conn, task_id)
            if item["claimed_by"] not in (None, user):
                raise ConflictError(f"taak is al geclaimd door {item['claimed_by']}")
            conn.execute(update(work_items).where(work_items.c.task_id == task_id)
                         .values(claimed_by=user, claimed_at=now))
            case = self._append(conn, case, kind="task_claimed", actor=user, at=now,
                                  instance_id=item["instance_id"], task_id=task_id,
                                  task_name=item["task_name"], payload={"user": user})
            return _ref(case)

    def unclaim(self, task_id: str, user: str, expected_version: int | None = None) -> CaseRef:
        now = self.clock.now()
        with self.db.begin() as conn:
            item = _work_item_row(conn, task_id)
            case = _lock_case(conn, item["case_id"], expected_version)
            item = _work_item_row(conn, task_id)
            if item["claimed_by"] != user:
                raise ConflictError("alleen wie de taak geclaimd heeft kan haar vrijgeven")
            conn.execute(update(work_items).where(work_items.c.task_id == task_id)
                         .values(claimed_by=None, claimed_at=None))
            case = self._append(conn, case, kind="task_unclaimed", actor=user, at=now,
                                  instance_id=item["instance_id"], task_id=task_id,
                                  task_name=item["task_name"], payload={"user": user})
            return _ref(case)

    def complete(self, task_id: str, data: Mapping[str, Any], actor: str,
                 expected_version: int | None = None) -> CaseRef:
        """Complete a ready user task with the submitted data and run the engine on."""
        now = self.clock.now()
        submitted = dict(data)
        with self.db.begin() as conn:
            case = _lock_case_of_task(conn, task_id, expected_version)
            item = _work_item_with_instance(conn, task_id)  # read under the lock: it may be gone now
            if item["claimed_by"] not in (None, actor):
                raise ConflictError(f"taak is geclaimd door {item['claimed_by']}")

            def act(workflow):
                task = workflow.get_task_from_id(UUID(task_id))
                if task is None or task.state != TaskState.READY or not task.task_spec.manual:
                    raise ConflictError("deze taak is al afgerond")
                task.data.update(submitted)
                task.run()

            payload = {"task_id": task_id, "task_name": item["task_name"], "data": submitted}
            case = self._advance(conn, case, item["instance_id"], actor, now, "task_completed", payload, act,
                                 task_id=task_id, task_name=item["task_name"], inst=item)
            return _ref(case)

    def correct_task(self, task_id: str, reason: str, actor: str,
                     expected_version: int | None = None) -> CaseRef:
        """Reopen a task that was completed by mistake: a correction with a reason, never a silent undo.

        The instance goes back to that task (later work in the same instance is withdrawn); the
        original completion stays in the history, followed by the correction.
        """
        if not (reason or "").strip():
            raise InvalidInput("reden: een correctie vraagt een reden")
        now = self.clock.now()
        with self.db.begin() as conn:
            done = conn.execute(select(events.c.case_id, events.c.instance_id, events.c.task_name).where(
                events.c.task_id == task_id, events.c.kind == "task_completed")).first()
            if done is None:
                raise NotFound(f"taak {task_id} is niet afgerond; er valt niets te corrigeren")
            case = _lock_case(conn, done.case_id, expected_version)
            payload = {"task_id": task_id, "task_name": done.task_name, "reason": reason.strip()}
            case = self._advance(conn, case, done.instance_id, actor, now, "task_corrected", payload,
                                 lambda workflow: reopen_task(workflow, task_id),
                                 task_id=task_id, task_name=done.task_name, reopen=True)
            return _ref(case)

    def task_form(self, task_id: str) -> dict | None:
        """The form definition the user task carries (property ``formJsonSchemaFilename``), if any."""
        with self.db.connect() as conn:
            row = conn.execute(select(work_items.c.form, instances.c.process_version_id)
                               .join(instances, instances.c.id == work_items.c.instance_id)
                               .where(work_items.c.task_id == task_id)).first()
            if row is None:
                raise NotFound(f"taak {task_id} bestaat niet of staat niet meer open")
            filename = json.loads(row.form or "{}").get("formJsonSchemaFilename")
            if not filename:
                return None
            version = versions.get_version(conn, row.process_version_id)
            return versions.bundle_json(conn, version.deployment_id, filename)

    # -- messages and timers --------------------------------------------------------------------
    def deliver_message(self, name: str, payload: Mapping[str, Any] | None = None,
                        case_id: int | None = None, actor: str = "system") -> int:
        """Deliver a message to the instances of one case waiting for it; returns how many."""
        if case_id is None:
            raise InvalidInput("een bericht hoort bij een zaak: geef de zaak op")
        with self.db.begin() as conn:
            return self.deliver_in(conn, name, dict(payload or {}), [case_id], actor)

    def deliver_in(self, conn: Connection, name: str, body: dict, case_ids: list[int], actor: str) -> int:
        """Deliver within the caller's transaction (the inbox records the delivery in the same one)."""
        now = self.clock.now()
        targets = conn.execute(select(waits.c.instance_id, waits.c.case_id).where(
            waits.c.kind == "message", waits.c.name == name, waits.c.case_id.in_(case_ids),
        ).distinct().order_by(waits.c.instance_id)).all()
        if not targets:
            raise NotFound(f"geen zaak wacht op bericht {name!r}")
        for instance_id, target_case in targets:
            case = _lock_case(conn, target_case)

            def act(workflow):
                workflow.send_event(BpmnEvent(MessageEventDefinition(name), body))

            self._advance(conn, case, instance_id, actor, now, "message_delivered",
                          {"name": name, "payload": body}, act)
        return len(targets)

    def fire_due_timers(self, now: datetime | None = None, limit: int = 100) -> int:
        """Fire every timer that fell due before ``now``; each instance in a transaction of its own.

        SpiffWorkflow fires a timer once its due time has passed (strictly), and so do we.
        """
        now = now or self.clock.now()
        fired = 0
        with self.db.connect() as conn:
            due = conn.execute(select(waits.c.instance_id).where(
                waits.c.kind == "timer", waits.c.due_at < now).distinct().limit(limit)).scalars().all()
        for instance_id in due:
            try:
                fired += self._fire_instance_timers(instance_id, now)
            except EngineError as exc:
                # A model that fails on its timer stays due (and visible) without stopping the others.
                log.warning("timer van instantie %s faalde: %s", instance_id, exc)
        return fired

    def schedule(self, case_id: int, process_id: str, first_due: datetime, every: str,
                 data: Mapping[str, Any] | None = None, actor: str = "system") -> int:
        """Recurring work of the dossier: start a new instance of ``process_id`` every period."""
        parse_period(every)
        now = self.clock.now()
        with self.db.begin() as conn:
            case = _lock_case(conn, case_id)
            schedule_id = conn.execute(schedules.insert().values(
                case_id=case_id, process_id=process_id, every=every, next_due_at=first_due,
                data=data_to_json(dict(data or {})), active=True)).inserted_primary_key[0]
            self._append(conn, case, kind="schedule_set", actor=actor, at=now, payload={
                "schedule_id": schedule_id, "process_id": process_id, "every": every,
                "first_due": first_due.isoformat()})
            return schedule_id

    def run_due(self, now: datetime | None = None, limit: int = 100) -> int:
        """Everything due: timers in running instances and the dossiers' recurring work."""
        now = now or self.clock.now()
        return (self.fire_due_timers(now, limit) + self.fire_due_schedules(now, limit)
                + self.escalate_passed_deadlines(now, limit))

    def fire_due_schedules(self, now: datetime | None = None, limit: int = 100) -> int:
        now = now or self.clock.now()
        with self.db.connect() as conn:
            due = conn.execute(select(schedules.c.id).where(
                schedules.c.active.is_(True), schedules.c.next_due_at < now,
            ).order_by(schedules.c.next_due_at).limit(limit)).scalars().all()
        return sum(self._fire_schedule(schedule_id, now) for schedule_id in due)

    def _fire_schedule(self, schedule_id: int, now: datetime) -> int:
        with self.db.begin() as conn:
            row = conn.execute(select(schedules).where(
                schedules.c.id == schedule_id, schedules.c.next_due_at < now,
            ).with_for_update(skip_locked=True)).mappings().first()
            if row is None:
                return 0  # taken by another worker meanwhile
            case = _lock_case(conn, row["case_id"])
            data = {**data_from_json(row["data"]), "gepland_op": row["next_due_at"].isoformat()}
            self._start_instance(conn, case, row["process_id"], data, "schedule", now)
            conn.execute(update(schedules).where(schedules.c.id == schedule_id).values(
                next_due_at=next_after(row["next_due_at"], row["every"], now)))
            return 1

    def _fire_instance_timers(self, instance_id: int, now: datetime) -> int:
        with self.db.begin() as conn:
            row = conn.execute(select(waits.c.case_id).where(
                waits.c.instance_id == instance_id, waits.c.kind == "timer", waits.c.due_at < now,
            ).limit(1).with_for_update(skip_locked=True)).first()
            if row is None:
                return 0  # fired meanwhile by another worker
            case = _lock_case(conn, row.case_id)
            self._advance(conn, case, instance_id, "timer", now, "timer_fired", {"at": now.isoformat()},
                          lambda workflow: workflow.refresh_timers())
            return 1

    # -- closing and retention ----------------------------------------------------------------
    def close_case(self, case_id: int, resultaat: str, retention: str, actor: str) -> CaseRef:
        """Close the dossier with its result; ``retention`` (ISO period, from the selectielijst)
        sets the archive date from which it may be destroyed."""
        now = self.clock.now()
        archive_date = legal_date(now) + parse_period(retention)
        with self.db.begin() as conn:
            case = _lock_case(conn, case_id)
            if case["status"] == "closed":
                raise ConflictError(f"zaak {case['case_number']} is al afgesloten")
            conn.execute(update(cases).where(cases.c.id == case_id).values(
                status="closed", closed_at=now, resultaat=resultaat, archiefactiedatum=archive_date))
            conn.execute(update(schedules).where(schedules.c.case_id == case_id).values(active=False))
            case = self._append(conn, case, kind="case_closed", actor=actor, at=now, payload={
                "resultaat": resultaat, "bewaartermijn": retention, "archiefactiedatum": archive_date})
            return _ref(case)

    def due_for_destruction(self, gemeente: str) -> list[dict]:
        with self.db.connect() as conn:
            return retention.due(conn, gemeente, legal_date(self.clock.now()))

    def create_destruction_list(self, gemeente: str, case_numbers: list[str], actor: str) -> int:
        with self.db.begin() as conn:
            return retention.create_list(conn, gemeente, case_numbers, actor, self.clock.now())

    def approve_destruction_list(self, list_id: int, gemeente: str, actor: str) -> int:
        """Four eyes: someone other than its author approves, and the cases are destroyed."""
        with self.db.begin() as conn:
            return retention.approve_and_destroy(conn, list_id, gemeente, actor, self.clock.now())

    def destruction_record(self, case_number: str) -> retention.DestructionRecord | None:
        with self.db.connect() as conn:
            return retention.destruction_record(conn, case_number)

    # -- legal deadlines -----------------------------------------------------------------------
    def add_deadline(self, case_id: int, name: str, start: date, term: str, actor: str,
                     kind: str = "fatale_termijn", legal_basis: str | None = None) -> deadlines.Deadline:
        with self.db.begin() as conn:
            case = _lock_case(conn, case_id)
            deadline = deadlines.add(conn, case_id, name, start, term, self.clock.now(), kind, legal_basis)
            self._deadline_event(conn, case, "deadline_set", deadline, actor, {"term": term})
            return deadline

    def case_deadlines(self, case_id: int) -> list[deadlines.Deadline]:
        with self.db.connect() as conn:
            return deadlines.of_case(conn, case_id)

    def suspend_deadline(self, deadline_id: int, since: date, actor: str,
                         reason: str) -> deadlines.Deadline:
        """Opschorting (Awb 4:14/4:15): the clock of the term stops from ``since``."""
        return self._change_deadline(deadline_id, actor, "deadline_suspended",
                                     {"since": since, "reason": reason},
                                     lambda conn, d: deadlines.suspend(conn, d, since))

    def resume_deadline(self, deadline_id: int, on: date, actor: str) -> deadlines.Deadline:
        return self._change_deadline(deadline_id, actor, "deadline_resumed", {"on": on},
                                     lambda conn, d: deadlines.resume(conn, d, on))

    def extend_deadline(self, deadline_id: int, extension: str, actor: str,
                        reason: str) -> deadlines.Deadline:
        return self._change_deadline(deadline_id, actor, "deadline_extended",
                                     {"extension": extension, "reason": reason},
                                     lambda conn, d: deadlines.extend(conn, d, extension))

    def close_deadline(self, deadline_id: int, actor: str, status: str = "voldaan") -> deadlines.Deadline:
        now = self.clock.now()
        return self._change_deadline(deadline_id, actor, "deadline_closed", {"status": status},
                                     lambda conn, d: deadlines.close(conn, d, status, now))

    def escalate_passed_deadlines(self, now: datetime | None = None, limit: int = 100) -> int:
        """A passed deadline starts the escalation process (a task for the teamleider), once."""
        now = now or self.clock.now()
        with self.db.connect() as conn:
            due = deadlines.passed(conn, legal_date(now), limit)
        return sum(self._escalate(deadline_id, now) for deadline_id in due)

    def _escalate(self, deadline_id: int, now: datetime) -> int:
        with self.db.begin() as conn:
            row = conn.execute(select(deadlines_table).where(
                deadlines_table.c.id == deadline_id, deadlines_table.c.escalated_at.is_(None),
            ).with_for_update(skip_locked=True)).mappings().first()
            if row is None:
                return 0
            case = _lock_case(conn, row["case_id"])
            data = {"termijn": row["name"], "termijn_id": row["id"], "vervaldatum": row["due_date"],
                    "grondslag": row["legal_basis"]}
            self._start_instance(conn, case, self.escalation_process, data, "termijnbewaking", now)
            conn.execute(update(deadlines_table).where(deadlines_table.c.id == deadline_id)
                         .values(escalated_at=now))
            return 1

    def _change_deadline(self, deadline_id: int, actor: str, kind: str, details: dict, change):
        with self.db.begin() as conn:
            current = deadlines.get(conn, deadline_id)
            case = _lock_case(conn, current.case_id)
            changed = change(conn, deadlines.get(conn, deadline_id, lock=True))
            self._deadline_event(conn, case, kind, changed, actor, details)
            return changed

    def _deadline_event(self, conn: Connection, case: dict, kind: str, deadline: deadlines.Deadline,
                        actor: str, details: dict) -> dict:
        payload = {"deadline_id": deadline.id, "name": deadline.name, "due_date": deadline.due_date,
                   **details}
        return self._append(conn, case, kind=kind, actor=actor, at=self.clock.now(), payload=payload)

    def _apply_deadline_request(self, conn: Connection, case: dict, request, instance_id: int, actor: str,
                                now: datetime) -> dict:
        params = request.params
        if request.action == "set":
            start = params.get("start") or legal_date(now)
            if isinstance(start, str):
                start = date.fromisoformat(start)
            deadline = deadlines.add(conn, case["id"], params["name"], start, params.get("term", "P8W"), now,
                                     params.get("kind", "fatale_termijn"), params.get("legal_basis"),
                                     instance_id=instance_id)
            return self._deadline_event(conn, case, "deadline_set", deadline, actor, {"term": deadline.term})
        open_ones = [d for d in deadlines.of_case(conn, case["id"])
                     if d.name == params["name"] and d.status == "open"]
        for deadline in open_ones:
            closed = deadlines.close(conn, deadline, params.get("status", "voldaan"), now)
            case = self._deadline_event(conn, case, "deadline_closed", closed, actor,
                                        {"status": closed.status})
        return case

    # -- internals ------------------------------------------------------------------------------
    def _append(self, conn: Connection, case: dict, **event) -> dict:
        return journal.append(conn, case, sealer=self.sealer, **event)

    def _context(self, case: dict, actor: str, now: datetime) -> StepContext:
        return StepContext(case["id"], case["case_number"], case["gemeente"], now, actor)

    def _start_instance(self, conn: Connection, case: dict, process_id: str, data: dict, actor: str,
                        now: datetime, parent_id: int | None = None) -> tuple[int, dict]:
        version = versions.latest_version(conn, process_id, case["gemeente"])
        spec, subs = self.specs.get(conn, version)
        index = conn.execute(select(func.count()).select_from(instances)
                             .where(instances.c.case_id == case["id"])).scalar_one() + 1
        uid = str(uuid.uuid5(INSTANCE_NAMESPACE, f"{case['case_number']}/{index}"))
        ctx = self._context(case, actor, now)
        outcome = self.runtime.start(spec, subs, uid, data, ctx)
        instance_id = conn.execute(instances.insert().values(
            uid=uid, case_id=case["id"], process_version_id=version.id, process_id=process_id,
            parent_instance_id=parent_id, status="running", state=outcome.state,
            state_hash=state_hash(outcome.state), id_counter=outcome.id_counter, version=1,
            created_at=now, updated_at=now,
        )).inserted_primary_key[0]
        self._after_step(conn, case, instance_id, process_id, outcome, now)
        payload = {"uid": uid, "process_id": process_id, "process_version_id": version.id,
                   "version": version.version, "data": data, "parent_instance_id": parent_id}
        case = self._append(conn, case, kind="instance_started", actor=actor, at=now, payload=payload,
                              instance_id=instance_id, state_hash=state_hash(outcome.state))
        case = self._spawn(conn, case, ctx, instance_id, actor, now)
        return instance_id, case

    def _advance(self, conn: Connection, case: dict, instance_id: int, actor: str, now: datetime,
                 kind: str, payload: dict, action, task_id: str | None = None,
                 task_name: str | None = None, inst: Mapping | None = None, reopen: bool = False) -> dict:
        if inst is None:
            inst = conn.execute(_SELECT_INSTANCE, {"iid": instance_id}).mappings().first()
        if inst is None:
            raise NotFound(f"procesinstantie {instance_id} bestaat niet")
        if inst["status"] != "running" and not reopen:
            raise ConflictError(f"procesinstantie {instance_id} is al afgesloten")
        spec, subs = self.specs.get(conn, self.specs.version(conn, inst["process_version_id"]))
        ctx = self._context(case, actor, now)
        outcome = self.runtime.advance(spec, subs, inst["uid"], inst["state"], inst["id_counter"],
                                       ctx, action)
        digest = state_hash(outcome.state)
        completed = outcome.workflow.is_completed()
        result = conn.execute(_UPDATE_INSTANCE, {
            "iid": instance_id, "old_version": inst["version"], "new_state": outcome.state,
            "new_hash": digest, "new_counter": outcome.id_counter, "new_version": inst["version"] + 1,
            "now": now, "new_status": "completed" if completed else "running",
            "done_at": now if completed else None})
        if result.rowcount != 1:
            raise ConflictError(f"zaak {case['case_number']} is intussen door iemand anders gewijzigd")
        self._after_step(conn, case, instance_id, inst["process_id"], outcome, now)
        case = self._append(conn, case, kind=kind, actor=actor, at=now, payload=payload,
                              instance_id=instance_id, task_id=task_id, task_name=task_name,
                              state_hash=digest)
        return self._spawn(conn, case, ctx, instance_id, actor, now)

    def _after_step(self, conn: Connection, case: dict, instance_id: int, process_id: str,
                    outcome: StepOutcome, now: datetime) -> None:
        sync_work_items(conn, outcome.workflow, outcome.ready_before, instance_id=instance_id,
                        case_id=case["id"], gemeente=case["gemeente"], process_id=process_id, now=now)
        sync_waits(conn, outcome.workflow, outcome.waits_before, instance_id=instance_id, case_id=case["id"])

    def _spawn(self, conn: Connection, case: dict, ctx: StepContext, parent_id: int, actor: str,
               now: datetime) -> dict:
        """Apply what the step asked for besides its own state: deadlines, then new instances."""
        for request in ctx.deadlines:
            case = self._apply_deadline_request(conn, case, request, parent_id, actor, now)
        for request in ctx.spawns:
            _, case = self._start_instance(conn, case, request.process_id, request.data, actor, now,
                                           parent_id=parent_id)
        return case


def _client_id(conn: Connection, gemeente: str, bsn: str, naam: str, geboortedatum: str | None,
               now: datetime) -> int:
    if not (isinstance(bsn, str) and len(bsn) == 9 and bsn.isdigit()):
        raise InvalidInput("bsn: een BSN bestaat uit 9 cijfers")
    found = conn.execute(select(clients.c.id).where(clients.c.gemeente == gemeente,
                                                    clients.c.bsn == bsn)).scalar()
    if found is not None:
        return found
    return conn.execute(clients.insert().values(gemeente=gemeente, bsn=bsn, naam=naam,
                                                geboortedatum=geboortedatum, created_at=now)
                        ).inserted_primary_key[0]


# Statements of the step path, built once (building them costs more than running them on SQLite).
_LOCK_CASE = select(cases).where(cases.c.id == bindparam("cid")).with_for_update()
_LOCK_CASE_OF_TASK = select(cases).where(cases.c.id == select(work_items.c.case_id).where(
    work_items.c.task_id == bindparam("tid")).scalar_subquery()).with_for_update()
_SELECT_INSTANCE = select(instances).where(instances.c.id == bindparam("iid"))
_ITEM_WITH_INSTANCE = (select(instances, work_items.c.claimed_by, work_items.c.task_name,
                              work_items.c.instance_id)
                       .join(instances, instances.c.id == work_items.c.instance_id)
                       .where(work_items.c.task_id == bindparam("tid")))
_UPDATE_INSTANCE = update(instances).where(
    instances.c.id == bindparam("iid"), instances.c.version == bindparam("old_version"),
).values(state=bindparam("new_state"), state_hash=bindparam("new_hash"), id_counter=bindparam("new_counter"),
         version=bindparam("new_version"), updated_at=bindparam("now"), status=bindparam("new_status"),
         completed_at=bindparam("done_at"))


def _lock_case_of_task(conn: Connection, task_id: str, expected_version: int | None) -> dict:
    row = conn.execute(_LOCK_CASE_OF_TASK, {"tid": task_id}).mappings().first()
    if row is None:
        _missing_task(conn, task_id)
    return _checked_case(row, expected_version)


def _work_item_with_instance(conn: Connection, task_id: str) -> dict:
    row = conn.execute(_ITEM_WITH_INSTANCE, {"tid": task_id}).mappings().first()
    if row is None:
        _missing_task(conn, task_id)
    return dict(row)


def _lock_case(conn: Connection, case_id: int, expected_version: int | None = None) -> dict:
    row = conn.execute(_LOCK_CASE, {"cid": case_id}).mappings().first()
    if row is None:
        raise NotFound(f"zaak {case_id} bestaat niet")
    return _checked_case(row, expected_version)


def _checked_case(row, expected_version: int | None) -> dict:
    if expected_version is not None and row["version"] != expected_version:
        raise ConflictError(
            f"zaak {row['case_number']} is gewijzigd sinds u haar opende (versie {expected_version}, "
            f"nu {row['version']}); laad de zaak opnieuw")
    return dict(row)


def _work_item_row(conn: Connection, task_id: str) -> dict:
    row = conn.execute(select(work_items).where(work_items.c.task_id == task_id)).mappings().first()
    if row is not None:
        return dict(row)
    _missing_task(conn, task_id)


def _missing_task(conn: Connection, task_id: str) -> NoReturn:
    done = conn.execute(select(events.c.actor).where(
        events.c.task_id == task_id, events.c.kind == "task_completed").limit(1)).scalar()
    if done is not None:
        raise ConflictError(f"deze taak is al afgerond door {done}")
    raise NotFound(f"taak {task_id} bestaat niet of staat niet meer open")


def _ref(row) -> CaseRef:
    return CaseRef(row["id"], row["case_number"], row["gemeente"], row["version"])


def _work_item(r) -> WorkItem:
    return WorkItem(r["task_id"], r["case_id"], r["case_number"], r["case_version"], r["instance_id"],
                    r["process_id"], r["task_name"], r["title"], r["lane"], r["form"], r["claimed_by"],
                    r["created_at"], r["due_at"])

"""The engine API: every operation is load -> run -> persist in ONE database transaction.

The web app, the REST API, the CLI and the worker all call these methods. Each step writes the new
workflow state, one append-only event and the worklist/wait rows together, or nothing at all.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.task import Task
from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from engine import unit_of_work
from engine.audit import journal
from engine.audit.replay import CLAIM_KINDS, REPLAYED_KINDS, Verdict, Verifier
from engine.audit.seal import Sealer, load_sealer
from engine.clock import Clock, SystemClock
from engine.decisions import DecisionProvider
from engine.errors import InvalidInput, NotFound
from engine.models import versions
from engine.retention.closing import RetentionOps
from engine.retention.destruction import DestructionRecord
from engine.runtime import Runtime, ServiceHandler
from engine.scheduling.deadline_ops import DeadlineOps
from engine.scheduling.deadlines import Deadline
from engine.scheduling.due_work import DueWorkOps
from engine.scheduling.incidents import AlsoWrite, Incident, IncidentOps
from engine.steps import (  # noqa: F401  (re-exported for callers of the engine API)
    INSTANCE_NAMESPACE,
    CaseRef,
    StepCore,
    _client_id,
    _lock_case,
    _lock_case_of_task,
    _lock_task,
    _missing_task,
    _ref,
    _work_item_row,
    _work_item_with_instance,
)
from engine.storage.db import cases, instances, read_only, work_items
from engine.storage.rows import inserted_id
from engine.storage.state import load_state
from engine.unit_of_work import CaseWork, Transaction


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
    """The engine's one entry: cases, processes and tasks here; legal deadlines, due work (messages,
    timers, schedules) and closing/destruction in the parts it holds, whose methods it offers too.
    All of them share one ``StepCore`` (``self.core``): the step path and the clock, sealer, specs."""

    def __init__(self, db: Engine, clock: Clock | None = None, decisions: DecisionProvider | None = None,
                 services: Mapping[str, ServiceHandler] | None = None, cpu_seconds: float = 2.0,
                 sealer: Sealer | None = None, escalation_process: str = "termijn_escalatie",
                 max_state_bytes: int = 0) -> None:
        self.core = StepCore(db, clock or SystemClock(), Runtime(decisions, services or {}, cpu_seconds),
                             versions.SpecCache(), sealer or load_sealer(), max_state_bytes=max_state_bytes)
        self.reader = read_only(db)  # snapshots for read-only work (SQLite: no write lock)
        self.deadline_ops = DeadlineOps(self.core, self.reader, self.transaction, escalation_process)
        self.incident_ops = IncidentOps(self.core, self.reader)
        self.due_work = DueWorkOps(self.core, self.reader, self.deadline_ops, self.incident_ops,
                                   after_step=lambda conn, case, now: unit_of_work.run_background_hooks(
                                       self, conn, case, now))
        self.retention_ops = RetentionOps(self.core, self.reader)

    # -- what the parts share: one place, so that setting it (a test's clock) reaches them all ------
    @property
    def db(self) -> Engine:
        return self.core.db

    @property
    def clock(self) -> Clock:
        return self.core.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.core.clock = clock

    @property
    def sealer(self) -> Sealer:
        return self.core.sealer

    @sealer.setter
    def sealer(self, sealer: Sealer) -> None:
        self.core.sealer = sealer

    @property
    def specs(self) -> versions.SpecCache:
        return self.core.specs

    @specs.setter
    def specs(self, specs: versions.SpecCache) -> None:
        self.core.specs = specs

    @property
    def runtime(self) -> Runtime:
        return self.core.runtime

    @property
    def escalation_process(self) -> str:
        return self.deadline_ops.escalation_process

    # -- deployment -------------------------------------------------------------------------
    def deploy(self, files: Mapping[str, bytes], gemeente: str = versions.SHARED,
               actor: str = "system") -> versions.DeployResult:
        with self.db.begin() as conn:
            return versions.deploy(conn, files, gemeente, actor, self.clock.now())

    # -- units of work (engine.unit_of_work) ---------------------------------------------------
    def transaction(self) -> AbstractContextManager[Transaction]:
        """One transaction: lock cases in it (``tx.case``, ``tx.open_case``), committed once."""
        return unit_of_work.begin(self)

    @contextmanager
    def case(self, case_id: int, expected_version: int | None = None) -> Iterator[CaseWork]:
        """The case, locked and checked against ``expected_version``, for changes committed together
        when the block ends (rolled back on an exception): ``with engine.case(id) as c: c.append(...)``."""
        with unit_of_work.begin(self) as tx:
            yield tx.case(case_id, expected_version)

    @contextmanager
    def new_case(self, gemeente: str, bsn: str, naam: str, actor: str,
                 geboortedatum: str | None = None) -> Iterator[CaseWork]:
        """A new dossier as a unit of work: it exists only if the block completes."""
        with unit_of_work.begin(self) as tx:
            yield tx.open_case(gemeente, bsn, naam, actor, geboortedatum)

    # -- cases --------------------------------------------------------------------------------
    def open_case(self, gemeente: str, bsn: str, naam: str, actor: str,
                  geboortedatum: str | None = None) -> CaseRef:
        """A new dossier for a client (created on first sight, found again by BSN)."""
        with self.new_case(gemeente, bsn, naam, actor, geboortedatum) as c:
            return c.ref

    def _open_case(self, conn: Connection, gemeente: str, bsn: str | None, naam: str, actor: str,
                   geboortedatum: str | None = None) -> dict[str, Any]:
        """A new case; ``bsn`` None: a case about no person (no client row at all)."""
        now = self.clock.now()
        client_id = None if bsn is None else _client_id(conn, gemeente, bsn, naam, geboortedatum, now)
        case_id = inserted_id(conn.execute(cases.insert().values(
            # the number is derived from the id, which we only know after the insert
            case_number=f"tmp-{uuid.uuid4().hex[:24]}", gemeente=gemeente, client_id=client_id,
            status="open", version=0, event_count=0, head_hash=journal.GENESIS, created_at=now,
        )))
        number = f"Z{now.year}-{case_id:06d}"
        conn.execute(update(cases).where(cases.c.id == case_id).values(case_number=number))
        case = _lock_case(conn, case_id)
        return self.core.append(conn, case, kind="case_opened", actor=actor, at=now,
                                payload={"gemeente": gemeente, "client_id": client_id, "case_number": number})

    def start_inputs(self, process_id: str, gemeente: str) -> tuple[str, ...]:
        """What the gemeente's latest version of a process needs from its starter (empty: it starts
        on its own, e.g. from "Nieuwe zaak")."""
        with self.reader.connect() as conn:
            version = versions.latest_version(conn, process_id, gemeente)
            self.specs.remember(version)
            spec, _ = self.specs.get(conn, version)
        return versions.start_inputs(spec)

    def start_process(self, case_id: int, process_id: str, data: Mapping[str, Any] | None = None,
                      actor: str = "system", expected_version: int | None = None) -> int:
        """Start a new process instance in the dossier; returns the instance id."""
        with self.case(case_id, expected_version) as c:
            return c.start_process(process_id, data, actor)

    def start_case(self, gemeente: str, bsn: str, naam: str, process_id: str,
                   data: Mapping[str, Any] | None = None, actor: str = "system") -> tuple[CaseRef, int]:
        """Open a dossier and start its first process together: a failing start leaves no empty case."""
        with self.new_case(gemeente, bsn, naam, actor) as c:
            instance_id = c.start_process(process_id, data, actor)
            return c.ref, instance_id

    def get_case(self, case_id: int) -> CaseRef:
        with self.reader.connect() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise NotFound(f"zaak {case_id} bestaat niet")
        return _ref(row)

    def verify(self, case_id: int, run: versions.StoredSpecs | None = None) -> Verdict:
        """Check the case's chain and seal and replay it against what is stored (read only).

        The models are read as stored now, once per call; ``run`` (``self.verification_run()``)
        shares that read between the cases of one run, e.g. ``trede verify --all``."""
        with self.reader.connect() as conn:
            return Verifier(self.runtime, run or self.specs.as_stored(), self.sealer).verify(conn, case_id)

    def verify_many(self, case_ids: list[int], run: versions.StoredSpecs | None = None) -> list[Verdict]:
        """``verify`` for many cases (``trede verify --all``): one read-only snapshot, each table read
        once for all of them instead of once per case."""
        with self.reader.connect() as conn:
            verifier = Verifier(self.runtime, run or self.specs.as_stored(), self.sealer)
            return verifier.verify_many(conn, case_ids)

    def verification_run(self) -> versions.StoredSpecs:
        """The stored models for one verification run over many cases (each model read once)."""
        return self.specs.as_stored()

    def case_id_of(self, case_number: str) -> int:
        with self.reader.connect() as conn:
            found: int | None = conn.execute(
                select(cases.c.id).where(cases.c.case_number == case_number)).scalar()
        if found is None:
            raise NotFound(f"zaak {case_number} bestaat niet")
        return found

    def case_ids(self) -> list[int]:
        with self.reader.connect() as conn:
            return list(conn.execute(select(cases.c.id).order_by(cases.c.id)).scalars())

    def history(self, case_id: int) -> list[journal.Event]:
        with self.reader.connect() as conn:
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
        with self.reader.connect() as conn:
            return [_work_item(r) for r in conn.execute(query).mappings()]

    def record_fact(self, case_id: int, kind: str, actor: str, payload: dict[str, Any],
                    also: Callable[[Connection, dict[str, Any]], None] | None = None) -> CaseRef:
        """An application fact (e.g. the case moved to another team) in the case's hash-chained
        history: shown to case workers and auditors, never replayed. ``also(conn, case)`` does the
        application's own writes in the same transaction, so the fact and the change land together."""
        if kind in REPLAYED_KINDS or kind in CLAIM_KINDS:
            raise InvalidInput(f"gebeurtenis {kind!r} is van de engine zelf")
        with self.case(case_id) as c:
            if also is not None:
                also(c.conn, c.row)
            return c.append(kind, actor, payload)

    def claim(self, task_id: str, user: str, expected_version: int | None = None) -> CaseRef:
        with self.transaction() as tx:
            return tx.case_of_task(task_id, expected_version).claim(task_id, user)

    def unclaim(self, task_id: str, user: str, expected_version: int | None = None) -> CaseRef:
        with self.transaction() as tx:
            return tx.case_of_task(task_id, expected_version).unclaim(task_id, user)

    def reassign(self, task_id: str, to_user: str, by: str, expected_version: int | None = None) -> CaseRef:
        """A teamleider gives a task to someone else: one step, recorded with who did it."""
        with self.transaction() as tx:
            return tx.case_of_task(task_id, expected_version).reassign(task_id, to_user, by)

    def task_data(self, task_id: str) -> dict[str, Any]:
        """The data of an open task as the process holds it (read only): e.g. a decision's proposal."""
        return dict(self._open_task(task_id).data)

    def task_view(self, task_id: str) -> tuple[dict[str, Any], str | None]:
        """What a task page shows from the process, from one load: the task data, and the model's
        instructions for whoever does the task (``instructionsForEndUser``, a Jinja template)."""
        task = self._open_task(task_id)
        extensions = getattr(task.task_spec, "extensions", None) or {}
        return dict(task.data), extensions.get("instructionsForEndUser")

    def _open_task(self, task_id: str) -> Task:
        with self.reader.connect() as conn:
            row = conn.execute(select(instances.c.uid, instances.c.state, instances.c.process_version_id)
                               .join(work_items, work_items.c.instance_id == instances.c.id)
                               .where(work_items.c.task_id == task_id)).first()
            if row is None:
                raise NotFound(f"taak {task_id} bestaat niet of staat niet meer open")
            spec, subs = self.specs.get(conn, self.specs.version(conn, row.process_version_id))
        return load_state(row.state, spec, subs).get_task_from_id(UUID(task_id))

    def complete(self, task_id: str, data: Mapping[str, Any], actor: str,
                 expected_version: int | None = None) -> CaseRef:
        """Complete a ready user task with the submitted data and run the engine on."""
        with unit_of_work.begin(self) as tx:
            return tx.case_with_task(task_id, expected_version).complete(task_id, data, actor)

    def correct_task(self, task_id: str, reason: str, actor: str,
                     expected_version: int | None = None) -> CaseRef:
        """Reopen a task that was completed by mistake: a correction with a reason, never a silent undo.

        The instance goes back to that task (later work in the same instance is withdrawn); the
        original completion stays in the history, followed by the correction.
        """
        if not (reason or "").strip():
            raise InvalidInput("reden: een correctie vraagt een reden")
        with self.transaction() as tx:
            case_id = unit_of_work.completion_of(tx.conn, task_id).case_id
            return tx.case(case_id, expected_version).correct_task(task_id, reason, actor)

    def task_form(self, task_id: str) -> dict[str, Any] | None:
        """The form definition the user task carries (property ``formJsonSchemaFilename``), if any."""
        with self.reader.connect() as conn:
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


    # -- legal deadlines (engine.scheduling.deadline_ops) -------------------------------------------
    def add_deadline(self, case_id: int, name: str, start: date, term: str, actor: str,
                     kind: str = "fatale_termijn", legal_basis: str | None = None) -> Deadline:
        return self.deadline_ops.add_deadline(case_id, name, start, term, actor, kind, legal_basis)

    def case_deadlines(self, case_id: int) -> list[Deadline]:
        return self.deadline_ops.case_deadlines(case_id)

    def suspend_deadline(self, deadline_id: int, since: date, actor: str, reason: str) -> Deadline:
        """Opschorting (Awb 4:14/4:15): the clock of the term stops from ``since``."""
        return self.deadline_ops.suspend_deadline(deadline_id, since, actor, reason)

    def resume_deadline(self, deadline_id: int, on: date, actor: str) -> Deadline:
        return self.deadline_ops.resume_deadline(deadline_id, on, actor)

    def extend_deadline(self, deadline_id: int, extension: str, actor: str, reason: str) -> Deadline:
        return self.deadline_ops.extend_deadline(deadline_id, extension, actor, reason)

    def close_deadline(self, deadline_id: int, actor: str, status: str = "voldaan") -> Deadline:
        return self.deadline_ops.close_deadline(deadline_id, actor, status)

    def escalate_passed_deadlines(self, now: datetime | None = None, limit: int = 100) -> int:
        """A passed deadline starts the escalation process (a task for the teamleider), once."""
        return self.deadline_ops.escalate_passed_deadlines(now, limit)

    # -- due work: messages, timers, schedules (engine.scheduling.due_work) -------------------------
    def deliver_message(self, name: str, payload: Mapping[str, Any] | None = None,
                        case_id: int | None = None, actor: str = "system") -> int:
        """Deliver a message to the instances of one case waiting for it; returns how many."""
        return self.due_work.deliver_message(name, payload, case_id, actor)

    def deliver_in(self, conn: Connection, name: str, body: dict[str, Any], case_ids: list[int],
                   actor: str) -> int:
        """Deliver within the caller's transaction (the inbox records the delivery in the same one)."""
        return self.due_work.deliver_in(conn, name, body, case_ids, actor)

    def fire_due_timers(self, now: datetime | None = None, limit: int = 100,
                        gemeente: str | None = None) -> int:
        """Fire due timers (of one gemeente's cases only, when given); how many fired."""
        return self.due_work.fire_due_timers(now, limit, gemeente)

    def schedule(self, case_id: int, process_id: str, first_due: datetime, every: str,
                 data: Mapping[str, Any] | None = None, actor: str = "system") -> int:
        """Recurring work of the dossier: start a new instance of ``process_id`` every period."""
        return self.due_work.schedule(case_id, process_id, first_due, every, data, actor)

    def fire_due_schedules(self, now: datetime | None = None, limit: int = 100) -> int:
        return self.due_work.fire_due_schedules(now, limit)

    def run_due(self, now: datetime | None = None, limit: int = 100) -> int:
        """Everything due: timers, the dossiers' recurring work and passed deadlines."""
        return self.due_work.run_due(now, limit)

    # -- incidents: instances a failed background step put aside (engine.scheduling.incidents) -----
    def incidents(self, gemeente: str, status: str | None = "open") -> list[Incident]:
        return self.incident_ops.incidents(gemeente, status)

    def incident(self, incident_id: int, gemeente: str) -> Incident:
        return self.incident_ops.incident(incident_id, gemeente)

    def retry_incident(self, incident_id: int, gemeente: str, actor: str,
                       also: AlsoWrite | None = None) -> Incident:
        """Run the instance again now (after a fix, e.g. a migration to a new version); ``also``
        writes the caller's rows (its log lines) with the incident's closing."""
        return self.incident_ops.retry(incident_id, gemeente, actor, also)

    def cancel_incident(self, incident_id: int, gemeente: str, actor: str, reason: str,
                        also: AlsoWrite | None = None) -> Incident:
        """Cancel the instance the incident holds, with a reason in the case history."""
        return self.incident_ops.cancel(incident_id, gemeente, actor, reason, also)

    # -- closing and retention (engine.retention) ---------------------------------------------------
    def close_case(self, case_id: int, resultaat: str, retention: str, actor: str) -> CaseRef:
        """Close the dossier with its result; ``retention`` (ISO period) sets its archive date."""
        return self.retention_ops.close_case(case_id, resultaat, retention, actor)

    def due_for_destruction(self, gemeente: str) -> list[dict[str, Any]]:
        return self.retention_ops.due_for_destruction(gemeente)

    def create_destruction_list(self, gemeente: str, case_numbers: list[str], actor: str) -> int:
        return self.retention_ops.create_destruction_list(gemeente, case_numbers, actor)

    def approve_destruction_list(self, list_id: int, gemeente: str, actor: str) -> int:
        """Four eyes: someone other than its author approves, and the cases are destroyed."""
        return self.retention_ops.approve_destruction_list(list_id, gemeente, actor)

    def destruction_lists(self, gemeente: str) -> list[dict[str, Any]]:
        return self.retention_ops.destruction_lists(gemeente)

    def destruction_record(self, case_number: str) -> DestructionRecord | None:
        return self.retention_ops.destruction_record(case_number)


def _work_item(r: RowMapping) -> WorkItem:
    return WorkItem(r["task_id"], r["case_id"], r["case_number"], r["case_version"], r["instance_id"],
                    r["process_id"], r["task_name"], r["title"], r["lane"], r["form"], r["claimed_by"],
                    r["created_at"], r["due_at"])


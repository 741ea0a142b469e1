"""The core of every step: lock the case, run the instance, write state, event and rows together.

``CaseEngine`` (engine.service) holds one ``StepCore`` and hands it to the parts it is composed of
(legal deadlines, due work, closing); the module-level helpers lock and read what a step needs with
statements built once.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from engine.audit import journal
from engine.audit.seal import Sealer
from engine.clock import Clock
from engine.errors import ConflictError, InvalidInput, NotFound, StepFailed
from engine.models import versions
from engine.runtime import DeadlineRequest, MessageRequest, Runtime, StepContext, StepOutcome
from engine.scheduling import deadlines
from engine.scheduling.termijnen import legal_date
from engine.storage import step_writes
from engine.storage.db import cases, clients, events, instances, waits, work_items
from engine.storage.rows import inserted_id
from engine.storage.state import state_hash
from engine.worklist import rebuild_work_items, wait_writes, work_item_writes

log = logging.getLogger("trede.engine")
INSTANCE_NAMESPACE = uuid.UUID("5f0c6d1e-6a53-4c1b-9d0a-2f3e7d1c8b21")


@dataclass(frozen=True)
class CaseRef:
    id: int
    case_number: str
    gemeente: str
    version: int



class StepCore:
    """What every operation shares: the database, the clock, the runtime, the parsed specs and the
    sealer, and the step itself (start or advance an instance, append an event). Its methods take
    the caller's connection, so they are building blocks inside the engine; from outside, changes
    go through ``CaseEngine`` and its unit of work."""

    def __init__(self, db: Engine, clock: Clock, runtime: Runtime, specs: versions.SpecCache,
                 sealer: Sealer, max_state_bytes: int = 0) -> None:
        self.db = db
        self.clock = clock
        self.runtime = runtime
        self.specs = specs
        self.sealer = sealer
        self.max_state_bytes = max_state_bytes  # 0: no cap

    def _bounded(self, outcome: StepOutcome) -> StepOutcome:
        """A step whose state would outgrow the cap is refused before anything is written: one
        model line can otherwise store megabytes that every later step loads, hashes and writes
        again (issue 17, finding 10). The state is ASCII JSON, so its length is its size."""
        size, cap = len(outcome.state), self.max_state_bytes
        if cap and size > cap:
            raise StepFailed(f"de procesgegevens van deze zaak zouden te groot worden ({_kb(size)} kB; "
                             f"de grens is {_kb(cap)} kB): de stap is niet uitgevoerd en de zaak is "
                             "ongewijzigd. Laat de procesontwerper het model aanpassen.")
        return outcome

    def append(self, conn: Connection, case: dict[str, Any], **event: Any) -> dict[str, Any]:
        return journal.append(conn, case, sealer=self.sealer, **event)

    def _context(self, case: dict[str, Any], actor: str, now: datetime, conn: Connection) -> StepContext:
        return StepContext(case["id"], case["case_number"], case["gemeente"], now, actor, conn=conn)

    def start_instance(self, conn: Connection, case: dict[str, Any], process_id: str, data: dict[str, Any],
                       actor: str, now: datetime, parent_id: int | None = None) -> tuple[int, dict[str, Any]]:
        version = versions.latest_version(conn, process_id, case["gemeente"])
        self.specs.remember(version)
        spec, subs = self.specs.get(conn, version)
        if missing := [name for name in versions.start_inputs(spec) if name not in data]:
            raise InvalidInput(f"proces {process_id!r} heeft bij de start gegevens nodig die ontbreken: "
                               f"{', '.join(missing)}")
        index = conn.execute(select(func.count()).select_from(instances)
                             .where(instances.c.case_id == case["id"])).scalar_one() + 1
        uid = str(uuid.uuid5(INSTANCE_NAMESPACE, f"{case['case_number']}/{index}"))
        ctx = self._context(case, actor, now, conn)
        data = {"gemeente": case["gemeente"], **data}  # models may choose by gemeente (tenant)
        outcome = self._bounded(self.runtime.start(spec, subs, uid, data, ctx))
        # A process may run to its end in its start step (no user task, no wait): it is completed.
        completed = outcome.workflow.is_completed()
        instance_id = inserted_id(conn.execute(instances.insert().values(
            uid=uid, case_id=case["id"], process_version_id=version.id, process_id=process_id,
            parent_instance_id=parent_id, status="completed" if completed else "running",
            state=outcome.state, state_hash=state_hash(outcome.state), id_counter=outcome.id_counter,
            version=1, created_at=now, updated_at=now, completed_at=now if completed else None,
        )))
        writes = self._row_writes(conn, case, instance_id, process_id, outcome, now)
        payload = {"uid": uid, "process_id": process_id, "process_version_id": version.id,
                   "version": version.version, "model_hash": version.content_hash, "data": data,
                   "parent_instance_id": parent_id}
        case, event = journal.append_writes(case, sealer=self.sealer, kind="instance_started", actor=actor,
                                            at=now, payload=payload, instance_id=instance_id,
                                            state_hash=state_hash(outcome.state))
        step_writes.run(conn, writes + event)
        case = self.spawn(conn, case, ctx, instance_id, actor, now)
        return instance_id, case

    def advance(self, conn: Connection, case: dict[str, Any], instance_id: int, actor: str, now: datetime,
                 kind: str, payload: dict[str, Any], action: Callable[[BpmnWorkflow], None],
                 task_id: str | None = None, task_name: str | None = None,
                 inst: Mapping[str, Any] | RowMapping | None = None,
                 reopen: bool = False) -> dict[str, Any]:
        if inst is None:
            inst = conn.execute(_SELECT_INSTANCE, {"iid": instance_id}).mappings().first()
        if inst is None:
            raise NotFound(f"procesinstantie {instance_id} bestaat niet")
        if inst["status"] != "running" and not reopen:
            raise ConflictError(f"procesinstantie {instance_id} is al afgesloten")
        spec, subs = self.specs.get(conn, self.specs.version(conn, inst["process_version_id"]))
        ctx = self._context(case, actor, now, conn)
        outcome = self._bounded(self.runtime.advance(spec, subs, inst["uid"], inst["state"],
                                                     inst["id_counter"], ctx, action))
        digest = state_hash(outcome.state)
        completed = outcome.workflow.is_completed()
        conflict = f"zaak {case['case_number']} is intussen door iemand anders gewijzigd"
        writes = [step_writes.Write(_UPDATE_INSTANCE, {
            "iid": instance_id, "old_version": inst["version"], "new_state": outcome.state,
            "new_hash": digest, "new_counter": outcome.id_counter, "new_version": inst["version"] + 1,
            "now": now, "new_status": "completed" if completed else "running",
            "done_at": now if completed else None}, conflict=conflict)]
        writes += self._row_writes(conn, case, instance_id, inst["process_id"], outcome, now)
        case, event = journal.append_writes(case, sealer=self.sealer, kind=kind, actor=actor, at=now,
                                            payload=payload, instance_id=instance_id, task_id=task_id,
                                            task_name=task_name, state_hash=digest)
        # The step's writes go out together (one round trip on PostgreSQL), still in this transaction.
        step_writes.run(conn, writes + event)
        return self.spawn(conn, case, ctx, instance_id, actor, now)

    def _row_writes(self, conn: Connection, case: dict[str, Any], instance_id: int, process_id: str,
                    outcome: StepOutcome, now: datetime) -> list[step_writes.Write]:
        """Worklist and wait rows that changed, as writes; without a 'before' the rows are rebuilt now."""
        if outcome.ready_before is None:
            rebuild_work_items(conn, outcome.workflow, instance_id=instance_id, case_id=case["id"],
                               gemeente=case["gemeente"], process_id=process_id, now=now)
            items = []
        else:
            items = work_item_writes(outcome.workflow, outcome.ready_before, instance_id=instance_id,
                                     case_id=case["id"], gemeente=case["gemeente"], process_id=process_id,
                                     now=now)
        return items + wait_writes(outcome.workflow, outcome.waits_before, instance_id=instance_id,
                                   case_id=case["id"])

    def spawn(self, conn: Connection, case: dict[str, Any], ctx: StepContext, parent_id: int, actor: str,
               now: datetime) -> dict[str, Any]:
        """Apply what the step asked for besides its own state: deadlines, new instances, then
        messages to the dossier's other instances."""
        for request in ctx.deadlines:
            case = self._apply_deadline_request(conn, case, request, parent_id, actor, now)
        for effect in ctx.effects:  # application writes (e.g. a ledger line), same transaction
            case = effect(conn, case, parent_id, actor, now, self.append) or case
        for wanted in ctx.spawns:
            _, case = self.start_instance(conn, case, wanted.process_id, wanted.data, actor, now,
                                          parent_id=parent_id)
        for message in ctx.messages:
            case = self.send_within_case(conn, case, message, parent_id, actor, now)
        return case

    def send_within_case(self, conn: Connection, case: dict[str, Any], message: MessageRequest,
                         sender_id: int, actor: str, now: datetime) -> dict[str, Any]:
        """Deliver a model's message (``send_message``) to every other instance of the case that
        waits for it, each a step with its own ``message_delivered`` event, as from outside."""
        targets = conn.execute(select(waits.c.instance_id).where(
            waits.c.kind == "message", waits.c.name == message.name, waits.c.case_id == case["id"],
            waits.c.instance_id != sender_id).distinct().order_by(waits.c.instance_id)).scalars().all()
        for instance_id in targets:

            def act(workflow: BpmnWorkflow) -> None:
                workflow.send_event(BpmnEvent(MessageEventDefinition(message.name), message.payload))

            case = self.advance(conn, case, instance_id, actor, now, "message_delivered",
                                {"name": message.name, "payload": message.payload}, act)
        return case

    def deadline_event(self, conn: Connection, case: dict[str, Any], kind: str, deadline: deadlines.Deadline,
                       actor: str, details: dict[str, Any], at: datetime | None = None) -> dict[str, Any]:
        """The event that records a change to a legal deadline (engine.scheduling.deadlines); the
        event names the instance whose model set it (the row's ``instance_id``)."""
        payload = {"deadline_id": deadline.id, "name": deadline.name, "due_date": deadline.due_date,
                   **details, "termijn": deadline_state(deadline)}
        return self.append(conn, case, kind=kind, actor=actor, at=at or self.clock.now(), payload=payload,
                           instance_id=deadline.instance_id)

    def _apply_deadline_request(self, conn: Connection, case: dict[str, Any], request: DeadlineRequest,
                                instance_id: int, actor: str, now: datetime) -> dict[str, Any]:
        """A deadline a model set or closed from a service task (runtime's DeadlineRequest)."""
        params = request.params
        if request.action == "set":
            start = params.get("start") or legal_date(now)
            if isinstance(start, str):
                start = date.fromisoformat(start)
            deadline = deadlines.add(conn, case["id"], params["name"], start, params.get("term", "P8W"), now,
                                     params.get("kind", "fatale_termijn"), params.get("legal_basis"),
                                     instance_id=instance_id)
            return self.deadline_event(conn, case, "deadline_set", deadline, actor, {"term": deadline.term})
        open_ones = [d for d in deadlines.of_case(conn, case["id"])
                     if d.name == params["name"] and d.status == "open"]
        for deadline in open_ones:
            closed = deadlines.close(conn, deadline, params.get("status", "voldaan"), now)
            case = self.deadline_event(conn, case, "deadline_closed", closed, actor,
                                       {"status": closed.status})
        return case


def deadline_state(deadline: deadlines.Deadline) -> dict[str, Any]:
    """The deadline as the change left it, recorded in its event so verify can rebuild the row."""
    return {"kind": deadline.kind, "legal_basis": deadline.legal_basis, "start_date": deadline.start_date,
            "term": deadline.term, "extension": deadline.extension, "suspended_days": deadline.suspended_days,
            "suspended_since": deadline.suspended_since, "due_date": deadline.due_date,
            "status": deadline.status, "created_at": deadline.created_at, "closed_at": deadline.closed_at,
            "escalated_at": deadline.escalated_at}


def _client_id(conn: Connection, gemeente: str, bsn: str, naam: str, geboortedatum: str | None,
               now: datetime) -> int:
    if not (isinstance(bsn, str) and len(bsn) == 9 and bsn.isdigit()):
        raise InvalidInput("bsn: een BSN bestaat uit 9 cijfers")
    found: int | None = conn.execute(select(clients.c.id).where(clients.c.gemeente == gemeente,
                                                                clients.c.bsn == bsn)).scalar()
    if found is not None:
        return found
    return inserted_id(conn.execute(clients.insert().values(gemeente=gemeente, bsn=bsn, naam=naam,
                                                            geboortedatum=geboortedatum, created_at=now)))


# Statements of the step path, built once (building them costs more than running them on SQLite).
_LOCK_CASE = select(cases).where(cases.c.id == bindparam("cid")).with_for_update()
_LOCK_CASE_OF_TASK = select(cases).where(cases.c.id == select(work_items.c.case_id).where(
    work_items.c.task_id == bindparam("tid")).scalar_subquery()).with_for_update()
_SELECT_INSTANCE = select(instances).where(instances.c.id == bindparam("iid"))
_ITEM_WITH_INSTANCE = (select(instances, work_items.c.claimed_by, work_items.c.task_name,
                              work_items.c.title, work_items.c.instance_id)
                       .join(instances, instances.c.id == work_items.c.instance_id)
                       .where(work_items.c.task_id == bindparam("tid")))
# One locking read for a task's step: its case (locked), the work item and the instance. On
# PostgreSQL a read that had to wait for the case lock sees the case as committed since, but the
# item and instance as they were when it started; "seen_version" (the case in the read's own
# snapshot) tells the two apart, and only then are item and instance read again (_lock_task).
_SEEN = cases.alias("seen")
_LOCK_TASK = (
    select(cases, *[c.label(f"i_{c.name}") for c in instances.c],
           work_items.c.claimed_by.label("w_claimed_by"), work_items.c.task_name.label("w_task_name"),
           work_items.c.title.label("w_title"),
           select(_SEEN.c.version).where(_SEEN.c.id == cases.c.id).scalar_subquery().label("seen_version"))
    .select_from(work_items.join(cases, cases.c.id == work_items.c.case_id)
                 .join(instances, instances.c.id == work_items.c.instance_id))
    .where(work_items.c.task_id == bindparam("tid"))
    .with_for_update(of=cases))
# The same for a due timer: its case (locked, skipped when another worker or step holds it) and
# the instance, found through the wait row that is due.
_LOCK_DUE_TIMER = (
    select(cases, *[c.label(f"i_{c.name}") for c in instances.c],
           select(_SEEN.c.version).where(_SEEN.c.id == cases.c.id).scalar_subquery().label("seen_version"))
    .select_from(waits.join(cases, cases.c.id == waits.c.case_id)
                 .join(instances, instances.c.id == waits.c.instance_id))
    .where(waits.c.instance_id == bindparam("iid"), waits.c.kind == "timer",
           waits.c.due_at < bindparam("now"))
    .limit(1)
    .with_for_update(of=cases, skip_locked=True))
_DUE_TIMER_STILL = select(waits.c.id).where(
    waits.c.instance_id == bindparam("iid"), waits.c.kind == "timer",
    waits.c.due_at < bindparam("now")).limit(1)
_CASE_KEYS = tuple(c.name for c in cases.c)
_INSTANCE_KEYS = tuple(c.name for c in instances.c)
_UPDATE_INSTANCE = update(instances).where(
    instances.c.id == bindparam("iid"), instances.c.version == bindparam("old_version"),
).values(state=bindparam("new_state"), state_hash=bindparam("new_hash"), id_counter=bindparam("new_counter"),
         version=bindparam("new_version"), updated_at=bindparam("now"), status=bindparam("new_status"),
         completed_at=bindparam("done_at"))


def _lock_case_of_task(conn: Connection, task_id: str, expected_version: int | None) -> dict[str, Any]:
    row = conn.execute(_LOCK_CASE_OF_TASK, {"tid": task_id}).mappings().first()
    if row is None:
        _missing_task(conn, task_id)
    return _checked_case(row, expected_version)


def _lock_task(conn: Connection, task_id: str, expected_version: int | None) -> tuple[dict[str, Any],
               dict[str, Any]]:
    """The task's case, locked, and its work item with the instance: one statement, as a rule."""
    row = conn.execute(_LOCK_TASK, {"tid": task_id}).mappings().first()
    if row is None:
        _missing_task(conn, task_id)
    case = _checked_case({k: row[k] for k in _CASE_KEYS}, expected_version)
    if row["seen_version"] != row["version"]:  # waited for another step of this case: read again
        return case, _work_item_with_instance(conn, task_id)
    item = {k: row[f"i_{k}"] for k in _INSTANCE_KEYS}
    item.update(claimed_by=row["w_claimed_by"], task_name=row["w_task_name"], title=row["w_title"],
                instance_id=row["i_id"])
    return case, item


def _lock_due_timer(conn: Connection, instance_id: int,
                    now: datetime) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    """The case (locked) and instance of a timer that is due; None when there is none any more or
    another worker or step holds the case (it is tried again in a later round)."""
    row = conn.execute(_LOCK_DUE_TIMER, {"iid": instance_id, "now": now}).mappings().first()
    if row is None:
        return None
    case = {k: row[k] for k in _CASE_KEYS}
    if row["seen_version"] != row["version"]:  # the case moved on since this read began: read again
        if conn.execute(_DUE_TIMER_STILL, {"iid": instance_id, "now": now}).first() is None:
            return None
        return case, None  # the step reads the instance itself
    return case, {k: row[f"i_{k}"] for k in _INSTANCE_KEYS}


def _work_item_with_instance(conn: Connection, task_id: str) -> dict[str, Any]:
    row = conn.execute(_ITEM_WITH_INSTANCE, {"tid": task_id}).mappings().first()
    if row is None:
        _missing_task(conn, task_id)
    return dict(row)


def _lock_case(conn: Connection, case_id: int, expected_version: int | None = None) -> dict[str, Any]:
    row = conn.execute(_LOCK_CASE, {"cid": case_id}).mappings().first()
    if row is None:
        raise NotFound(f"zaak {case_id} bestaat niet")
    return _checked_case(row, expected_version)


def _checked_case(row: Mapping[str, Any] | RowMapping, expected_version: int | None) -> dict[str, Any]:
    if expected_version is not None and row["version"] != expected_version:
        raise ConflictError(
            f"zaak {row['case_number']} is gewijzigd sinds u haar opende (versie {expected_version}, "
            f"nu {row['version']}); laad de zaak opnieuw")
    return dict(row)


def _work_item_row(conn: Connection, task_id: str) -> dict[str, Any]:
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


def _ref(row: Mapping[str, Any] | RowMapping) -> CaseRef:
    return CaseRef(row["id"], row["case_number"], row["gemeente"], row["version"])


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f}".replace(",", ".")  # Dutch thousands separator

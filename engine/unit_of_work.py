"""A unit of work on the engine: changes to a case, and the application's own rows, in ONE transaction.

    with engine.case(case_id, expected_version=version) as c:
        c.conn.execute(...)                        # the application's rows (same transaction)
        c.append("document_added", actor, {...})   # an event in the case's hash chain
        c.start_process("heroverweging", data, actor)

Entering locks the case row, as every step of the engine does (SELECT ... FOR UPDATE; on SQLite the
write transaction holds the database from BEGIN), and checks ``expected_version``: a stale version
raises ConflictError before anything is written. Every event moves the case's chain head and
version on exactly as a step does; leaving the block commits everything once, an exception rolls
everything back (no event, no version bump, no application row).

``engine.transaction()`` is the same for work that must read before it knows its case (a bezwaar
names its case) or that touches several cases: ``tx.case(id)``, ``tx.open_case(...)``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Row

from engine.audit.replay import CLAIM_KINDS, REPLAYED_KINDS
from engine.errors import ConflictError, EngineError, InvalidInput, NotFound
from engine.runtime import reopen_task
from engine.scheduling import deadlines
from engine.steps import (
    CaseRef,
    _checked_case,
    _lock_case,
    _lock_case_of_task,
    _lock_task,
    _ref,
    _work_item_row,
)
from engine.storage.db import events, work_items

if TYPE_CHECKING:
    from engine.service import CaseEngine

# Kinds only the engine's own operations write: a replay applies them, or they say who holds a task.
ENGINE_KINDS = REPLAYED_KINDS | CLAIM_KINDS

# The application's rules on what a step nobody took made ready (a timer, a message, a recurring
# start): each hook gets the locked case inside the step's transaction. The application registers
# them at import, as it does its retention hooks (e.g. casework routes a handed-over casemanager's
# new tasks to the successor, casework/team/successors.py).
BackgroundHook = Callable[["CaseWork"], None]
_background_hooks: list[BackgroundHook] = []


def after_background_step(hook: BackgroundHook) -> None:
    """Register a hook run after every timer, message or scheduled start (idempotent)."""
    if hook not in _background_hooks:
        _background_hooks.append(hook)


def run_background_hooks(engine: CaseEngine, conn: Connection, case: dict[str, Any], now: datetime
                         ) -> dict[str, Any]:
    """Run the registered hooks on ``case`` in the caller's transaction; the case row as it became."""
    if not _background_hooks:
        return case
    tx = Transaction(engine, conn, now)
    work = tx._hold(case)
    try:
        for hook in _background_hooks:
            hook(work)
    finally:
        tx.closed = True
    return work.row


@contextmanager
def begin(engine: CaseEngine) -> Iterator[Transaction]:
    """One transaction of ``engine``: committed when the block ends, rolled back on an exception."""
    with engine.db.begin() as conn:
        tx = Transaction(engine, conn, engine.clock.now())
        try:
            yield tx
        finally:
            tx.closed = True


class Transaction:
    """The cases one transaction holds; made by ``CaseEngine.transaction()``, dead after its block."""

    def __init__(self, engine: CaseEngine, conn: Connection, now: datetime) -> None:
        self.conn = conn
        self.now = now  # one transaction, one moment: every event of the unit carries it
        self.closed = False
        self._engine = engine
        self._held: dict[int, CaseWork] = {}

    def case(self, case_id: int, expected_version: int | None = None) -> CaseWork:
        """The case, locked until the transaction ends; ConflictError when it is not at
        ``expected_version`` (someone changed it since the caller read it)."""
        self._check()
        held = self._held.get(case_id)
        if held is not None:
            _checked_case(held.row, expected_version)
            return held
        return self._hold(_lock_case(self.conn, case_id, expected_version))

    def case_of_task(self, task_id: str, expected_version: int | None = None) -> CaseWork:
        """The case of an open task, locked (NotFound, or ConflictError when it was completed)."""
        self._check()
        row = _lock_case_of_task(self.conn, task_id, expected_version)
        held = self._held.get(row["id"])
        return held if held is not None else self._hold(row)

    def case_with_task(self, task_id: str, expected_version: int | None = None) -> CaseWork:
        """The case of an open task, locked together with the task in one read (the hot path of
        completing a task); NotFound, or ConflictError when it was completed or is stale."""
        self._check()
        row, item = _lock_task(self.conn, task_id, expected_version)
        work = self._held.get(row["id"]) or self._hold(row)
        work._items[task_id] = item
        return work

    def open_case(self, gemeente: str, bsn: str, naam: str, actor: str,
                  geboortedatum: str | None = None) -> CaseWork:
        """A new dossier for a client (the client is found again by BSN), locked like any other."""
        self._check()
        return self._hold(self._engine._open_case(self.conn, gemeente, bsn, naam, actor, geboortedatum))

    def open_case_without_client(self, gemeente: str, actor: str) -> CaseWork:
        """A new case about no person (an organisation's offer, say): no client row is made; the
        application keeps what the case is about in its own tables, linked by the case id."""
        self._check()
        return self._hold(self._engine._open_case(self.conn, gemeente, None, "", actor))

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Work that may fail on its own: an exception inside undoes only that part (a savepoint)
        and goes on to the caller, who can then do something else in the same transaction."""
        self._check()
        rows = {case_id: work._row for case_id, work in self._held.items()}
        savepoint = self.conn.begin_nested()
        try:
            yield
        except BaseException:
            savepoint.rollback()
            for case_id, work in list(self._held.items()):
                if case_id in rows:
                    work._row = rows[case_id]
                else:  # locked inside the attempt: its lock went with the savepoint's work
                    del self._held[case_id]
            raise
        savepoint.commit()

    def _hold(self, row: dict[str, Any]) -> CaseWork:
        work = CaseWork(self, self._engine, row)
        self._held[row["id"]] = work
        return work

    def _check(self) -> None:
        if self.closed:
            raise EngineError("deze transactie is al afgesloten")


class CaseWork:
    """One locked case inside a transaction: what is written through it lands in the case's chain."""

    def __init__(self, tx: Transaction, engine: CaseEngine, row: dict[str, Any]) -> None:
        self._tx = tx
        self._engine = engine
        self._row = row
        self._items: dict[str, dict[str, Any]] = {}  # work items read with the case lock (case_with_task)

    # -- what the caller may read ---------------------------------------------------------------
    @property
    def conn(self) -> Connection:
        """The transaction's connection, for the application's own rows (ledger, beschikkingen)."""
        self._tx._check()
        return self._tx.conn

    @property
    def now(self) -> datetime:
        return self._tx.now

    @property
    def id(self) -> int:
        case_id: int = self._row["id"]
        return case_id

    @property
    def ref(self) -> CaseRef:
        """The case as it stands now (its version moves on with every event)."""
        return _ref(self._row)

    @property
    def row(self) -> dict[str, Any]:
        """A copy of the case row as it stands now (id, case_number, gemeente, client_id, ...)."""
        return dict(self._row)

    def attempt(self) -> AbstractContextManager[None]:
        return self._tx.attempt()

    # -- events and processes ---------------------------------------------------------------------
    def append(self, kind: str, actor: str, payload: Mapping[str, Any], *, instance_id: int | None = None,
               task_id: str | None = None, task_name: str | None = None) -> CaseRef:
        """An application fact in the case's hash-chained history (shown, never replayed)."""
        if kind in ENGINE_KINDS:
            raise InvalidInput(f"gebeurtenis {kind!r} is van de engine zelf")
        self._tx._check()
        self._row = self._engine.core.append(self._tx.conn, self._row, kind=kind, actor=actor, at=self.now,
                                         payload=dict(payload), instance_id=instance_id, task_id=task_id,
                                         task_name=task_name)
        return self.ref

    def start_process(self, process_id: str, data: Mapping[str, Any] | None = None,
                      actor: str = "system") -> int:
        """Start a process instance in the dossier (NotFound when it is not deployed); its id."""
        self._tx._check()
        instance_id, self._row = self._engine.core.start_instance(self._tx.conn, self._row, process_id,
                                                              dict(data or {}), actor, self.now)
        return instance_id

    # -- tasks ------------------------------------------------------------------------------------
    def complete(self, task_id: str, data: Mapping[str, Any], actor: str) -> CaseRef:
        """Complete a ready user task of this case with ``data`` and run the process on (one step)."""
        item = self._items.pop(task_id, None) or self._task_item(task_id)
        if item["claimed_by"] not in (None, actor):
            raise ConflictError(f"taak is geclaimd door {item['claimed_by']}")
        submitted = dict(data)

        def act(workflow: BpmnWorkflow) -> None:
            task = workflow.get_task_from_id(UUID(task_id))
            if task is None or task.state != TaskState.READY or not task.task_spec.manual:
                raise ConflictError("deze taak is al afgerond")
            task.data.update(submitted)
            task.run()

        payload = {"task_id": task_id, "task_name": item["task_name"], "title": item["title"],
                   "data": submitted}
        inst = item if "uid" in item else None  # an item read with its instance saves a read
        self._row = self._engine.core.advance(self._tx.conn, self._row, item["instance_id"], actor, self.now,
                                          "task_completed", payload, act, task_id=task_id,
                                          task_name=item["task_name"], inst=inst)
        return self.ref

    def claim(self, task_id: str, user: str) -> CaseRef:
        item = self._task_item(task_id)
        if item["claimed_by"] not in (None, user):
            raise ConflictError(f"taak is al geclaimd door {item['claimed_by']}")
        return self._hold_task(item, user, "task_claimed", user, {"user": user})

    def unclaim(self, task_id: str, user: str) -> CaseRef:
        item = self._task_item(task_id)
        if item["claimed_by"] != user:
            raise ConflictError("alleen wie de taak geclaimd heeft kan haar vrijgeven")
        return self._hold_task(item, None, "task_unclaimed", user, {"user": user})

    def reassign(self, task_id: str, to_user: str, by: str) -> CaseRef:
        """A teamleider gives a task to someone else, recorded with who did it."""
        item = self._task_item(task_id)
        return self._hold_task(item, to_user, "task_reassigned", by,
                               {"user": to_user, "from": item["claimed_by"]})

    def correct_task(self, task_id: str, reason: str, actor: str) -> CaseRef:
        """Reopen a completed task of this case: a correction with a reason, never a silent undo."""
        if not (reason or "").strip():
            raise InvalidInput("reden: een correctie vraagt een reden")
        self._tx._check()
        done = completion_of(self._tx.conn, task_id)
        if done.case_id != self.id:
            raise NotFound(f"taak {task_id} hoort niet bij zaak {self._row['case_number']}")
        payload = {"task_id": task_id, "task_name": done.task_name, "reason": reason.strip()}
        self._row = self._engine.core.advance(self._tx.conn, self._row, done.instance_id, actor, self.now,
                                          "task_corrected", payload, lambda wf: reopen_task(wf, task_id),
                                          task_id=task_id, task_name=done.task_name, reopen=True)
        return self.ref

    def _task_item(self, task_id: str) -> dict[str, Any]:
        self._tx._check()
        item = _work_item_row(self._tx.conn, task_id)
        if item["case_id"] != self.id:
            raise NotFound(f"taak {task_id} hoort niet bij zaak {self._row['case_number']}")
        return item

    def _hold_task(self, item: dict[str, Any], holder: str | None, kind: str, actor: str,
                   payload: dict[str, Any]) -> CaseRef:
        self._tx.conn.execute(update(work_items).where(work_items.c.task_id == item["task_id"])
                              .values(claimed_by=holder, claimed_at=self.now if holder else None))
        self._row = self._engine.core.append(self._tx.conn, self._row, kind=kind, actor=actor, at=self.now,
                                         instance_id=item["instance_id"], task_id=item["task_id"],
                                         task_name=item["task_name"], payload=payload)
        return self.ref

    # -- legal deadlines --------------------------------------------------------------------------
    def set_deadline(self, name: str, start: date, term: str, actor: str, *, kind: str = "fatale_termijn",
                     legal_basis: str | None = None) -> deadlines.Deadline:
        """A legal term on the case (engine.scheduling.deadlines), with its ``deadline_set`` event."""
        self._tx._check()
        deadline = deadlines.add(self._tx.conn, self.id, name, start, term, self.now, kind, legal_basis)
        self._deadline_event("deadline_set", deadline, actor, {"term": term})
        return deadline

    def change_deadline(self, deadline_id: int, actor: str, kind: str, details: dict[str, Any],
                        change: Callable[[Connection, deadlines.Deadline], deadlines.Deadline]
                        ) -> deadlines.Deadline:
        """Change a deadline of this case (suspend, resume, extend, close) and record ``kind``."""
        self._tx._check()
        current = deadlines.get(self._tx.conn, deadline_id, lock=True)
        if current.case_id != self.id:
            raise NotFound(f"termijn {deadline_id} hoort niet bij zaak {self._row['case_number']}")
        changed = change(self._tx.conn, current)
        self._deadline_event(kind, changed, actor, details)
        return changed

    def close_deadline(self, deadline_id: int, actor: str, status: str = "voldaan") -> deadlines.Deadline:
        return self.change_deadline(deadline_id, actor, "deadline_closed", {"status": status},
                                    lambda conn, d: deadlines.close(conn, d, status, self.now))

    def _deadline_event(self, kind: str, deadline: deadlines.Deadline, actor: str,
                        details: dict[str, Any]) -> None:
        self._row = self._engine.core.deadline_event(self._tx.conn, self._row, kind, deadline, actor, details)


def completion_of(conn: Connection, task_id: str) -> Row[Any, Any, Any]:
    """The ``task_completed`` event of a task (case_id, instance_id, task_name); NotFound without one."""
    done = conn.execute(select(events.c.case_id, events.c.instance_id, events.c.task_name).where(
        events.c.task_id == task_id, events.c.kind == "task_completed")).first()
    if done is None:
        raise NotFound(f"taak {task_id} is niet afgerond; er valt niets te corrigeren")
    return done

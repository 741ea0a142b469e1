"""Legal deadlines of a case: set, suspend, resume, extend, close, escalate (engine.scheduling.deadlines)."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from engine.scheduling import deadlines
from engine.scheduling.termijnen import legal_date
from engine.steps import StepCore, _lock_case
from engine.storage.db import deadlines as deadlines_table

ESCALATED = "deadline_escalated"

if TYPE_CHECKING:
    from engine.unit_of_work import Transaction


class DeadlineOps:
    """A part of ``CaseEngine`` (``engine.deadline_ops``); the engine offers these methods itself."""

    def __init__(self, core: StepCore, reader: Engine,
                 transaction: Callable[[], AbstractContextManager[Transaction]],
                 escalation_process: str) -> None:
        self.core = core
        self.reader = reader
        self.transaction = transaction  # the engine's unit of work: CaseEngine.transaction
        self.escalation_process = escalation_process

    # -- legal deadlines -----------------------------------------------------------------------
    def add_deadline(self, case_id: int, name: str, start: date, term: str, actor: str,
                     kind: str = "fatale_termijn", legal_basis: str | None = None) -> deadlines.Deadline:
        with self.transaction() as tx:
            return tx.case(case_id).set_deadline(name, start, term, actor, kind=kind, legal_basis=legal_basis)

    def case_deadlines(self, case_id: int) -> list[deadlines.Deadline]:
        with self.reader.connect() as conn:
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
        now = self.core.clock.now()
        return self._change_deadline(deadline_id, actor, "deadline_closed", {"status": status},
                                     lambda conn, d: deadlines.close(conn, d, status, now))

    def escalate_passed_deadlines(self, now: datetime | None = None, limit: int = 100) -> int:
        """A passed deadline starts the escalation process (a task for the teamleider), once."""
        now = now or self.core.clock.now()
        with self.reader.connect() as conn:
            due = deadlines.passed(conn, legal_date(now), limit)
        return sum(self._escalate(deadline_id, now) for deadline_id in due)

    def _escalate(self, deadline_id: int, now: datetime) -> int:
        with self.core.db.begin() as conn:
            row = conn.execute(select(deadlines_table).where(
                deadlines_table.c.id == deadline_id, deadlines_table.c.escalated_at.is_(None),
            ).with_for_update(skip_locked=True)).mappings().first()
            if row is None:
                return 0
            case = _lock_case(conn, row["case_id"])
            data = {"termijn": row["name"], "termijn_id": row["id"], "vervaldatum": row["due_date"],
                    "grondslag": row["legal_basis"]}
            actor = "termijnbewaking"
            _, case = self.core.start_instance(conn, case, self.escalation_process, data, actor, now)
            conn.execute(update(deadlines_table).where(deadlines_table.c.id == deadline_id)
                         .values(escalated_at=now))
            # the escalation is a fact of the deadline too: verify derives escalated_at from it
            self.core.deadline_event(conn, case, ESCALATED, deadlines.get(conn, deadline_id), actor, {},
                                     at=now)
            return 1

    def _change_deadline(self, deadline_id: int, actor: str, kind: str, details: dict[str, Any],
                         change: Callable[[Connection, deadlines.Deadline], deadlines.Deadline]
                         ) -> deadlines.Deadline:
        with self.transaction() as tx:
            case = tx.case(deadlines.get(tx.conn, deadline_id).case_id)  # the case first: the lock order
            return case.change_deadline(deadline_id, actor, kind, details, change)

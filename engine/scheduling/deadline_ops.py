"""Legal deadlines of a case: set, suspend, resume, extend, close, escalate (engine.scheduling.deadlines)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from engine import unit_of_work
from engine.scheduling import deadlines
from engine.scheduling.termijnen import legal_date
from engine.steps import StepCore, _lock_case
from engine.storage.db import deadlines as deadlines_table


class DeadlineOps(StepCore):
    # -- legal deadlines -----------------------------------------------------------------------
    def add_deadline(self, case_id: int, name: str, start: date, term: str, actor: str,
                     kind: str = "fatale_termijn", legal_basis: str | None = None) -> deadlines.Deadline:
        with unit_of_work.begin(self) as tx:
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
        now = self.clock.now()
        return self._change_deadline(deadline_id, actor, "deadline_closed", {"status": status},
                                     lambda conn, d: deadlines.close(conn, d, status, now))

    def escalate_passed_deadlines(self, now: datetime | None = None, limit: int = 100) -> int:
        """A passed deadline starts the escalation process (a task for the teamleider), once."""
        now = now or self.clock.now()
        with self.reader.connect() as conn:
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
        with unit_of_work.begin(self) as tx:
            case = tx.case(deadlines.get(tx.conn, deadline_id).case_id)  # the case first: the lock order
            return case.change_deadline(deadline_id, actor, kind, details, change)

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


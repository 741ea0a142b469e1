"""Closing a case with its result, and four-eyes destruction (see engine.retention.destruction)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Connection, Engine

from engine.errors import ConflictError
from engine.retention import destruction
from engine.scheduling.periods import parse_period
from engine.scheduling.termijnen import legal_date
from engine.steps import CaseRef, StepCore, _lock_case, _ref
from engine.storage.db import cases, schedules


class RetentionOps:
    """A part of ``CaseEngine`` (``engine.retention_ops``); the engine offers these methods itself."""

    def __init__(self, core: StepCore, reader: Engine) -> None:
        self.core = core
        self.reader = reader
    def close_case(self, case_id: int, resultaat: str, retention: str, actor: str) -> CaseRef:
        """Close the dossier with its result; ``retention`` (ISO period, from the selectielijst)
        sets the archive date from which it may be destroyed."""
        now = self.core.clock.now()
        archive_date = legal_date(now) + parse_period(retention)
        with self.core.db.begin() as conn:
            case = _lock_case(conn, case_id)
            if case["status"] == "closed":
                raise ConflictError(f"zaak {case['case_number']} is al afgesloten")
            conn.execute(update(cases).where(cases.c.id == case_id).values(
                status="closed", closed_at=now, resultaat=resultaat, archiefactiedatum=archive_date))
            conn.execute(update(schedules).where(schedules.c.case_id == case_id).values(active=False))
            case = self.core.append(conn, case, kind="case_closed", actor=actor, at=now, payload={
                "resultaat": resultaat, "bewaartermijn": retention, "archiefactiedatum": archive_date})
            return _ref(case)

    def due_for_destruction(self, gemeente: str) -> list[dict[str, Any]]:
        with self.reader.connect() as conn:
            return destruction.due(conn, gemeente, legal_date(self.core.clock.now()))

    def create_destruction_list(self, gemeente: str, case_numbers: list[str], actor: str) -> int:
        now = self.core.clock.now()
        with self.core.db.begin() as conn:
            return destruction.create_list(conn, gemeente, case_numbers, actor, now,
                                           self._recorder(actor, now))

    def approve_destruction_list(self, list_id: int, gemeente: str, actor: str) -> int:
        """Four eyes: someone other than its author approves, and the cases are destroyed."""
        now = self.core.clock.now()
        with self.core.db.begin() as conn:
            return destruction.approve_and_destroy(conn, list_id, gemeente, actor, now,
                                                   self._recorder(actor, now))

    def _recorder(self, actor: str, now: datetime) -> destruction.Record:
        """A retention decision as a chained event of its case (verify rebuilds the list rows)."""
        def record(conn: Connection, case_id: int, kind: str, payload: dict[str, Any]) -> None:
            self.core.append(conn, _lock_case(conn, case_id), kind=kind, actor=actor, at=now, payload=payload)
        return record

    def destruction_lists(self, gemeente: str) -> list[dict[str, Any]]:
        with self.reader.connect() as conn:
            return destruction.lists(conn, gemeente)

    def destruction_record(self, case_number: str) -> destruction.DestructionRecord | None:
        with self.reader.connect() as conn:
            return destruction.destruction_record(conn, case_number)


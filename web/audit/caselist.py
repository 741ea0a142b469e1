"""The auditor's list of the gemeente's cases: where a review starts when no case number is given.

Case numbers, processes, status and the size and date of each history: no names or BSNs (the
auditor opens a case to see its history, and that opening is what the processing log records).
Newest first, a page at a time; the last event's moment comes from the case's own chain head
(one index probe per row), never from a scan of all events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select

from casework.accounts.service import User
from casework.intake import process_names
from engine.audit.replay import Verdict
from engine.service import CaseEngine
from engine.storage.db import cases, events, instances
from web.paging import page_bounds

PAGE_SIZE = 50
STATUSES = {"": "Alle", "open": "Lopend", "closed": "Gesloten"}


@dataclass
class CaseLine:
    case_number: str
    status: str
    opened: datetime
    closed: datetime | None
    events: int
    last_event: datetime | None
    processes: list[str] = field(default_factory=list)
    verdict: Verdict | None = None  # when the page was checked: chain, seal and replay


@dataclass
class CaseList:
    lines: list[CaseLine]
    total: int
    page: int
    pages: int


def case_list(engine: CaseEngine, user: User, status: str = "", page: int = 1,
              check: bool = False) -> CaseList:
    """A page of cases; ``check``: each verified as `trede verify` does (a few ms per case)."""
    where = [cases.c.gemeente == user.gemeente]
    if status in ("open", "closed"):
        where.append(cases.c.status == status)
    last = (select(events.c.at).where(events.c.case_id == cases.c.id, events.c.seq == cases.c.event_count)
            .correlate(cases).scalar_subquery())
    with engine.reader.connect() as conn:
        total = conn.execute(select(func.count()).select_from(cases).where(and_(*where))).scalar_one()
        page, pages = page_bounds(total, page, PAGE_SIZE)
        rows = conn.execute(select(cases.c.id, cases.c.case_number, cases.c.status, cases.c.created_at,
                                   cases.c.closed_at, cases.c.event_count, last.label("last_event"))
                            .where(and_(*where)).order_by(cases.c.id.desc())
                            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
        names = process_names(conn, user.gemeente)
        started: dict[int, list[str]] = {}
        for case_id, process_id in conn.execute(
                select(instances.c.case_id, instances.c.process_id)
                .where(instances.c.case_id.in_([r.id for r in rows])).order_by(instances.c.id)):
            name = names.get(process_id, process_id)
            if name not in started.setdefault(case_id, []):
                started[case_id].append(name)
    lines = [CaseLine(r.case_number, r.status, r.created_at, r.closed_at, r.event_count, r.last_event,
                      started.get(r.id, []), engine.verify(r.id) if check else None) for r in rows]
    return CaseList(lines, total, page, pages)

"""Termijnbewaking: the open legal deadlines (fatale termijnen) of the cases a user may see, the
soonest first, passed ones on top. A deadline can run while no task is open (a case waiting for
UWV, for a signature): the worklist, which lists tasks, does not show those.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from casework.accounts.service import User
from casework.visibility import case_filter
from engine.service import CaseEngine
from engine.storage.db import cases, clients, deadlines
from web.dossier.present import days_left

LIMIT = 500
SOON_DAYS = 14


@dataclass
class OpenDeadline:
    name: str
    legal_basis: str | None
    due_date: date
    days: int
    suspended_since: date | None
    case_id: int
    case_number: str
    client_id: int
    client_naam: str

    @property
    def passed(self) -> bool:
        return self.days < 0


def open_deadlines(engine: CaseEngine, user: User, today: date, soon_only: bool = False) -> tuple[list, int]:
    """(at most LIMIT open fatale termijnen, how many there are in all)."""
    where = [cases.c.gemeente == user.gemeente, deadlines.c.status == "open",
             deadlines.c.kind == "fatale_termijn"]
    if soon_only:
        where.append(deadlines.c.due_date <= today + timedelta(days=SOON_DAYS))
    with engine.reader.connect() as conn:
        hidden = case_filter(conn, user, deadlines.c.case_id)
        if hidden is not None:
            where.append(hidden)
        joined = deadlines.join(cases, cases.c.id == deadlines.c.case_id)
        total = conn.execute(select(func.count()).select_from(joined).where(and_(*where))).scalar_one()
        rows = conn.execute(
            select(deadlines.c.name, deadlines.c.legal_basis, deadlines.c.due_date,
                   deadlines.c.suspended_since, cases.c.id.label("case_id"), cases.c.case_number,
                   clients.c.id.label("client_id"), clients.c.naam)
            .select_from(joined.outerjoin(clients, clients.c.id == cases.c.client_id)).where(and_(*where))
            .order_by(deadlines.c.due_date, deadlines.c.id).limit(LIMIT)).all()
    return [OpenDeadline(r.name, r.legal_basis, r.due_date, days_left(r.due_date, today), r.suspended_since,
                         r.case_id, r.case_number, r.client_id, r.naam) for r in rows], total

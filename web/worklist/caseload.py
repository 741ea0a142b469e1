""""Mijn cliënten": the caseload of the signed-in case worker, each client with the next deadline.

A client is in someone's caseload while they hold an open task in one of the client's open cases
(claimed, or given to them by the model's ``assignee`` or a handover). Per client: the open tasks,
the soonest streefdatum of those tasks and the soonest open fatale termijn of the client's cases;
soonest fatale termijn first, then the soonest streefdatum.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from casework.accounts.service import User
from engine.storage.db import cases, clients, deadlines, read_only, work_items

LIMIT = 200  # a caseload is a few dozen clients; the page says so when there are more


@dataclass
class Client:
    client_id: int
    naam: str
    bsn: str
    open_tasks: int
    streefdatum: datetime | None
    fatale_termijn: date | None

    @property
    def next_deadline(self) -> date | None:
        target = self.streefdatum.date() if isinstance(self.streefdatum, datetime) else self.streefdatum
        found = [d for d in (target, self.fatale_termijn) if d is not None]
        return min(found) if found else None


def my_clients(db: Engine, user: User) -> list[Client]:
    legal = (select(func.min(deadlines.c.due_date)).join(cases, cases.c.id == deadlines.c.case_id)
             .where(cases.c.client_id == clients.c.id, cases.c.status == "open",
                    deadlines.c.status == "open", deadlines.c.kind == "fatale_termijn")
             .correlate(clients).scalar_subquery())
    query = (select(clients.c.id, clients.c.naam, clients.c.bsn, func.count(work_items.c.task_id),
                    func.min(work_items.c.due_at), legal.label("legal"))
             .select_from(work_items.join(cases, cases.c.id == work_items.c.case_id)
                          .join(clients, clients.c.id == cases.c.client_id))
             .where(work_items.c.gemeente == user.gemeente, work_items.c.claimed_by == user.username)
             .group_by(clients.c.id, clients.c.naam, clients.c.bsn)
             .order_by(legal.asc().nulls_last(), func.min(work_items.c.due_at).asc().nulls_last(),
                       clients.c.naam)
             .limit(LIMIT))
    with read_only(db).connect() as conn:
        return [Client(*row) for row in conn.execute(query).all()]

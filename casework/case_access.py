"""The case a person acts on, as the dossier rules allow: their gemeente, their team where the
gemeente chose team-only visibility (casework/visibility.py). Shared by notes and documents."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.people import User
from casework.visibility import may_see_case
from engine.errors import NotFound
from engine.storage.db import cases, clients


@dataclass(frozen=True)
class CaseSeen:
    id: int
    case_number: str
    client_id: int
    bsn: str


def visible_case(conn: Connection, user: User, case_id: int, client_id: int | None = None) -> CaseSeen:
    """The case, or NotFound (also for another gemeente's, another team's, or another client's)."""
    row = conn.execute(select(cases.c.id, cases.c.case_number, cases.c.client_id, cases.c.gemeente,
                              clients.c.bsn).join(clients, clients.c.id == cases.c.client_id)
                       .where(cases.c.id == case_id)).first()
    if (row is None or row.gemeente != user.gemeente or (client_id is not None and row.client_id != client_id)
            or not may_see_case(conn, user, case_id)):
        raise NotFound("zaak niet gevonden")
    return CaseSeen(row.id, row.case_number, row.client_id, row.bsn)

"""The case a use case acts on, as its actor may see it: one lookup for every use case on a case.

A case of another gemeente, or of another team where the gemeente chose team-only visibility,
is NotFound: the actor learns nothing about it (not even that it exists).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.people import User
from casework.visibility import may_see_case
from engine.errors import NotFound
from engine.storage.db import cases, clients


@dataclass(frozen=True)
class CaseRef:
    """What a use case needs of a case beside its lock: whose it is, for the processing log."""

    id: int
    number: str
    client_id: int | None  # None: a case about a party, not a person (issue 18 item 2)
    bsn: str | None
    status: str


def visible_case(conn: Connection, user: User, case_id: int, client_id: int | None = None) -> CaseRef:
    """The case, or NotFound (also for another gemeente's, another team's, or, given ``client_id``,
    another client's: a dossier page posts for one client)."""
    row = conn.execute(
        select(cases.c.case_number, cases.c.client_id, cases.c.status, clients.c.bsn)
        .outerjoin(clients, clients.c.id == cases.c.client_id)  # none: a party's case
        .where(cases.c.id == case_id, cases.c.gemeente == user.gemeente)
    ).first()
    if (row is None or (client_id is not None and row.client_id != client_id)
            or not may_see_case(conn, user, case_id)):
        raise NotFound(f"zaak {case_id} niet gevonden")
    return CaseRef(case_id, row.case_number, row.client_id, row.bsn, row.status)

"""Reading the register of providers and employers (issue 18 item 2), with its rules.

Casemanagers and teamleiders read it, each within their own gemeente: another gemeente's party does
not exist for them. A party's cases are listed as far as the reader may see them (team-only
visibility, casework/visibility.py), each with its open tasks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from casework.accounts.service import User
from casework.errors import NotAllowed
from casework.roles import PARTY_READ_ROLES
from casework.visibility import may_see_case
from engine.errors import NotFound
from engine.service import CaseEngine
from engine.storage.db import cases, work_items
from processes import parties
from processes.documents import Document, of_case


@dataclass(frozen=True)
class OpenWork:
    task_id: str
    title: str
    claimed_by: str | None


@dataclass
class PartyCase:
    case_id: int
    case_number: str
    status: str
    created_at: datetime
    tasks: list[OpenWork] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


def _check(user: User) -> None:
    if not user.roles & PARTY_READ_ROLES:
        raise NotAllowed("alleen casemanagers en teamleiders raadplegen het register van partijen")


def register(engine: CaseEngine, user: User) -> list[parties.Party]:
    _check(user)
    with engine.reader.connect() as conn:
        return parties.register(conn, user.gemeente)


def party(engine: CaseEngine, user: User, party_id: int) -> tuple[parties.Party, list[PartyCase]]:
    """The party with the cases about it that the user may see; NotFound for another gemeente's."""
    _check(user)
    with engine.reader.connect() as conn:
        found = parties.get(conn, user.gemeente, party_id)
        if found is None:
            raise NotFound("partij niet gevonden")
        ids = [i for i in parties.case_ids(conn, party_id) if may_see_case(conn, user, i)]
        rows = conn.execute(select(cases.c.id, cases.c.case_number, cases.c.status, cases.c.created_at)
                            .where(cases.c.id.in_(ids), cases.c.gemeente == user.gemeente)
                            .order_by(cases.c.id.desc())).all()
        listed = [PartyCase(r.id, r.case_number, r.status, r.created_at) for r in rows]
        for case in listed:
            case.tasks = [OpenWork(t.task_id, t.title, t.claimed_by) for t in conn.execute(
                select(work_items.c.task_id, work_items.c.title, work_items.c.claimed_by)
                .where(work_items.c.case_id == case.case_id).order_by(work_items.c.created_at))]
            case.documents = of_case(conn, case.case_id)
    return found, listed


def party_of_case(engine: CaseEngine, user: User, case_id: int) -> int:
    """The party a case of the user's gemeente is about; NotFound when there is none or it is hidden."""
    _check(user)
    with engine.reader.connect() as conn:
        visible = conn.execute(select(cases.c.id).where(cases.c.id == case_id,
                                                        cases.c.gemeente == user.gemeente)).first()
        linked = parties.party_of_case(conn, case_id) if visible else None
        if linked is None or not may_see_case(conn, user, case_id):
            raise NotFound("zaak niet gevonden")
        return linked.id

"""Legal deadlines kept as data, so that they can move.

A BPMN timer's due time is fixed when the timer is reached; a legal term is not: it pauses while
a case is suspended (opschorting, Awb 4:14/4:15), it can be extended (verlenging), and it ends on
a working day (Algemene termijnenwet). Deadlines live in their own table, recomputed on every
change, and the worklist reads them from there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, RowMapping

from engine.errors import ConflictError, InvalidInput, NotFound
from engine.scheduling.periods import parse_period
from engine.scheduling.termijnen import due_date
from engine.storage.db import deadlines
from engine.storage.rows import inserted_id

KINDS = ("fatale_termijn", "streefdatum")


@dataclass(frozen=True)
class Deadline:
    id: int
    case_id: int
    name: str
    kind: str
    legal_basis: str | None
    start_date: date
    term: str
    extension: str | None
    suspended_days: int
    suspended_since: date | None
    due_date: date
    status: str
    escalated: bool
    # Recorded in every event of the deadline since issue 16 (deadline_state), so verify checks them.
    instance_id: int | None = None
    created_at: datetime | None = None
    closed_at: datetime | None = None
    escalated_at: datetime | None = None


def _to_deadline(row: RowMapping) -> Deadline:
    return Deadline(row["id"], row["case_id"], row["name"], row["kind"], row["legal_basis"],
                    row["start_date"], row["term"], row["extension"], row["suspended_days"],
                    row["suspended_since"], row["due_date"], row["status"], row["escalated_at"] is not None,
                    row["instance_id"], row["created_at"], row["closed_at"], row["escalated_at"])


def add(conn: Connection, case_id: int, name: str, start: date, term: str, now: datetime,
        kind: str = "fatale_termijn", legal_basis: str | None = None,
        instance_id: int | None = None) -> Deadline:
    if kind not in KINDS:
        raise InvalidInput(f"soort termijn moet een van {', '.join(KINDS)} zijn, niet {kind!r}")
    parse_period(term)
    deadline_id = inserted_id(conn.execute(deadlines.insert().values(
        case_id=case_id, instance_id=instance_id, name=name, kind=kind, legal_basis=legal_basis,
        start_date=start, term=term, suspended_days=0, due_date=due_date(start, term), status="open",
        created_at=now)))
    return get(conn, deadline_id)


def get(conn: Connection, deadline_id: int, lock: bool = False) -> Deadline:
    query = select(deadlines).where(deadlines.c.id == deadline_id)
    row = conn.execute(query.with_for_update() if lock else query).mappings().first()
    if row is None:
        raise NotFound(f"termijn {deadline_id} bestaat niet")
    return _to_deadline(row)


def of_case(conn: Connection, case_id: int) -> list[Deadline]:
    rows = conn.execute(select(deadlines).where(deadlines.c.case_id == case_id)
                        .order_by(deadlines.c.due_date, deadlines.c.id)).mappings()
    return [_to_deadline(r) for r in rows]


def suspend(conn: Connection, deadline: Deadline, since: date) -> Deadline:
    _require_open(deadline)
    if deadline.suspended_since is not None:
        raise ConflictError(f"termijn {deadline.name!r} is al opgeschort sinds {deadline.suspended_since}")
    conn.execute(update(deadlines).where(deadlines.c.id == deadline.id).values(suspended_since=since))
    return get(conn, deadline.id)


def resume(conn: Connection, deadline: Deadline, on: date) -> Deadline:
    """End the suspension: the term moves on by the number of days it was suspended."""
    if deadline.suspended_since is None:
        raise ConflictError(f"termijn {deadline.name!r} is niet opgeschort")
    if on < deadline.suspended_since:
        raise InvalidInput("de opschorting kan niet eindigen voor zij begon")
    days = deadline.suspended_days + (on - deadline.suspended_since).days
    conn.execute(update(deadlines).where(deadlines.c.id == deadline.id).values(
        suspended_since=None, suspended_days=days,
        due_date=due_date(deadline.start_date, deadline.term, days, deadline.extension)))
    return get(conn, deadline.id)


def extend(conn: Connection, deadline: Deadline, extension: str) -> Deadline:
    _require_open(deadline)
    parse_period(extension)
    conn.execute(update(deadlines).where(deadlines.c.id == deadline.id).values(
        extension=extension,
        due_date=due_date(deadline.start_date, deadline.term, deadline.suspended_days, extension)))
    return get(conn, deadline.id)


def close(conn: Connection, deadline: Deadline, status: str, now: datetime) -> Deadline:
    _require_open(deadline)
    conn.execute(update(deadlines).where(deadlines.c.id == deadline.id).values(status=status, closed_at=now))
    return get(conn, deadline.id)


def _require_open(deadline: Deadline) -> None:
    if deadline.status != "open":
        raise ConflictError(f"termijn {deadline.name!r} is al afgesloten ({deadline.status})")


def passed(conn: Connection, today: date, limit: int) -> list[int]:
    """Open, running (not suspended) deadlines whose last day lies before today, not yet escalated."""
    return list(conn.execute(select(deadlines.c.id).where(
        deadlines.c.status == "open", deadlines.c.due_date < today, deadlines.c.escalated_at.is_(None),
        deadlines.c.suspended_since.is_(None),
    ).order_by(deadlines.c.due_date).limit(limit)).scalars())

"""Retention: a closed case carries its result and archive date; destruction is four-eyes work.

The result of a case decides how long it is kept (the gemeente's selectielijst, supplied by the
domain layer as a period). When the archive date has passed, a beheerder puts cases on a
destruction list; a second person approves it, and then the whole case goes: its history chain,
its workflow state, its worklist and deadlines, its notes and its processing-log lines. What
stays is a record that it happened, so that `verify` reports the case as destroyed, not tampered.

The engine destroys its own rows; the packages above it keep their case rows in tables the engine
does not know, and register a hook (``on_destroy``) that removes them in the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.engine import Connection

from engine.audit import log_chain
from engine.errors import ConflictError, InvalidInput, NotFound
from engine.storage.db import (
    cases,
    clients,
    deadlines,
    destroyed_cases,
    destruction_list_items,
    destruction_lists,
    events,
    incidents,
    instances,
    processing_log,
    schedules,
    waits,
    work_items,
)
from engine.storage.rows import inserted_id

# (connection, the case row, now): removes the case's rows of one package, before the engine's own
DestroyHook = Callable[[Connection, Mapping[str, Any], datetime], None]
# (connection, case id, event kind, payload): a retention decision as a chained event of the case
Record = Callable[[Connection, int, str, dict[str, Any]], None]
LISTED = "destruction_listed"  # the case was put on a destruction list (Archiefwet art. 3)
APPROVED = "destruction_approved"  # the list was approved: the case's last event before it goes
_hooks: list[DestroyHook] = []


def on_destroy(hook: DestroyHook) -> None:
    """Register a package's part of destroying a case (each package's tables module does, on import)."""
    if hook not in _hooks:
        _hooks.append(hook)


def destroy_hooks() -> tuple[DestroyHook, ...]:
    return tuple(_hooks)


@dataclass(frozen=True)
class DestructionRecord:
    case_number: str
    gemeente: str
    resultaat: str | None
    destroyed_at: datetime
    list_id: int


def due(conn: Connection, gemeente: str, today: date) -> list[dict[str, Any]]:
    """Closed cases whose archive date has come and that are on no list yet."""
    listed = exists().where(destruction_list_items.c.case_number == cases.c.case_number)
    rows = conn.execute(select(cases.c.id, cases.c.case_number, cases.c.resultaat, cases.c.closed_at,
                               cases.c.archiefactiedatum).where(
        cases.c.gemeente == gemeente, cases.c.status == "closed", cases.c.archiefactiedatum <= today,
        ~listed).order_by(cases.c.archiefactiedatum, cases.c.id)).mappings()
    return [dict(r) for r in rows]


def create_list(conn: Connection, gemeente: str, case_numbers: list[str], actor: str, now: datetime,
                record: Record | None = None) -> int:
    """The new list's id; each case on it gets a ``destruction_listed`` event (``record``)."""
    if not case_numbers:
        raise InvalidInput("een vernietigingslijst heeft minstens één zaak")
    eligible = {r["case_number"]: r["id"] for r in due(conn, gemeente, now.date())}
    wrong = [n for n in case_numbers if n not in eligible]
    if wrong:
        raise ConflictError(f"niet (meer) te vernietigen: {', '.join(wrong)}")
    list_id = inserted_id(conn.execute(destruction_lists.insert().values(
        gemeente=gemeente, status="concept", created_by=actor, created_at=now)))
    conn.execute(destruction_list_items.insert(),
                 [{"list_id": list_id, "case_number": n} for n in case_numbers])
    if record is not None:
        for number in case_numbers:
            record(conn, eligible[number], LISTED, {"list_id": list_id, "gemeente": gemeente})
    return list_id


def approve_and_destroy(conn: Connection, list_id: int, gemeente: str, actor: str, now: datetime,
                        record: Record | None = None) -> int:
    """Destroy the list's cases; each first gets a ``destruction_approved`` event (``record``), so
    the chain head kept in ``destroyed_cases`` covers who approved the list and when."""
    row = conn.execute(select(destruction_lists).where(
        destruction_lists.c.id == list_id, destruction_lists.c.gemeente == gemeente,
    ).with_for_update()).mappings().first()
    if row is None:
        raise NotFound(f"vernietigingslijst {list_id} bestaat niet")
    if row["status"] != "concept":
        raise ConflictError(f"vernietigingslijst {list_id} is al uitgevoerd")
    if row["created_by"] == actor:
        raise ConflictError("vier ogen: wie de lijst opstelde, kan haar niet zelf goedkeuren")
    numbers = list(conn.execute(select(destruction_list_items.c.case_number)
                                .where(destruction_list_items.c.list_id == list_id)).scalars())
    for number in numbers:
        _destroy(conn, number, list_id, now, record)
    conn.execute(update(destruction_lists).where(destruction_lists.c.id == list_id).values(
        status="vernietigd", approved_by=actor, approved_at=now))
    return len(numbers)


def lists(conn: Connection, gemeente: str) -> list[dict[str, Any]]:
    """The gemeente's destruction lists, newest first, each with its case numbers."""
    rows = [dict(r) for r in conn.execute(select(destruction_lists).where(
        destruction_lists.c.gemeente == gemeente).order_by(destruction_lists.c.id.desc())).mappings()]
    numbers: dict[int, list[str]] = {}
    items = destruction_list_items.c
    for list_id, number in conn.execute(select(items.list_id, items.case_number)
                                        .where(items.list_id.in_([r["id"] for r in rows]))
                                        .order_by(items.case_number)):
        numbers.setdefault(list_id, []).append(number)
    return [{**r, "case_numbers": numbers.get(r["id"], [])} for r in rows]


def destruction_record(conn: Connection, case_number: str) -> DestructionRecord | None:
    row = conn.execute(select(destroyed_cases).where(destroyed_cases.c.case_number == case_number)
                       ).mappings().first()
    if row is None:
        return None
    return DestructionRecord(row["case_number"], row["gemeente"], row["resultaat"], row["destroyed_at"],
                             row["list_id"])


def _destroy(conn: Connection, case_number: str, list_id: int, now: datetime, record: Record | None) -> None:
    found = select(cases).where(cases.c.case_number == case_number).with_for_update()
    case = conn.execute(found).mappings().first()
    if case is None:
        raise ConflictError(f"zaak {case_number} bestaat niet meer")
    if record is not None:
        record(conn, case["id"], APPROVED, {"list_id": list_id})
        case = conn.execute(found).mappings().one()  # its chain head now covers the approval
    case_id = case["id"]
    conn.execute(destroyed_cases.insert().values(
        case_number=case_number, gemeente=case["gemeente"], resultaat=case["resultaat"],
        archiefactiedatum=case["archiefactiedatum"], event_count=case["event_count"],
        head_hash=case["head_hash"], list_id=list_id, destroyed_at=now))
    for hook in _hooks:  # first: a package's rows may point at the case, or be found via its events
        hook(conn, dict(case), now)  # a plain mapping by column name, as DestroyHook promises
    _delete_processing_log(conn, case_number, now)
    for table in (work_items, waits, deadlines, schedules, incidents, events):
        conn.execute(delete(table).where(table.c.case_id == case_id))
    conn.execute(update(instances).where(instances.c.case_id == case_id).values(parent_instance_id=None))
    conn.execute(delete(instances).where(instances.c.case_id == case_id))
    conn.execute(delete(cases).where(cases.c.id == case_id))
    others = exists().where(and_(cases.c.client_id == case["client_id"]))
    conn.execute(delete(clients).where(clients.c.id == case["client_id"], ~others))


def _delete_processing_log(conn: Connection, case_number: str, now: datetime) -> None:
    # The lines stay in the log's hash chain with their content blanked (engine/audit/log_chain.py).
    log_chain.destroy_lines(conn, processing_log.c.object_ref == case_number, now)


def destroyed_problems(conn: Connection) -> list[tuple[str, str]]:
    """(case number, problem) for each kept record of a destroyed case that its approved list does
    not back: the list must be approved ("vernietigd") at the moment of the destruction and name
    the case. The record keeps the chain head, whose last event was ``destruction_approved``."""
    items = {(r.list_id, r.case_number) for r in conn.execute(
        select(destruction_list_items.c.list_id, destruction_list_items.c.case_number))}
    lists = {r["id"]: r for r in conn.execute(select(destruction_lists)).mappings()}
    found = []
    for record in conn.execute(select(destroyed_cases).order_by(destroyed_cases.c.case_number)).mappings():
        number, listed = record["case_number"], lists.get(record["list_id"])
        if listed is None:
            found.append((number, f"destroyed_cases {number}: vernietigingslijst {record['list_id']} "
                                  "bestaat niet"))
            continue
        if listed["status"] != "vernietigd" or listed["approved_at"] != record["destroyed_at"]:
            found.append((number, f"destruction_lists {listed['id']}: status {listed['status']!r}, "
                                  f"goedgekeurd {listed['approved_at']}; de zaak is vernietigd op "
                                  f"{record['destroyed_at']}"))
        if (listed["id"], number) not in items:
            found.append((number, f"destruction_list_items: vernietigingslijst {listed['id']} noemt "
                                  f"zaak {number} niet, maar zij is ermee vernietigd"))
        if listed["gemeente"] != record["gemeente"]:
            found.append((number, f"destroyed_cases {number}, kolom gemeente: opgeslagen "
                                  f"{record['gemeente']!r}, volgens vernietigingslijst {listed['id']} "
                                  f"{listed['gemeente']!r}"))
    return found

"""Incoming messages: correlated to a case, delivered at most once, never silently lost.

A message names its case by case number or by the client's BSN. An idempotency key makes a
repeated delivery a no-op that answers as the first one did. A message that no waiting case
matches is kept as a dead letter, which a beheerder can see and deliver again later.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from engine.errors import InvalidInput, NotFound
from engine.storage.db import cases, clients, inbox
from engine.storage.rows import inserted_id
from engine.storage.state import data_from_json, data_to_json

if TYPE_CHECKING:
    from engine.service import CaseEngine


class StillUndeliverable(NotFound):
    """The dead letter exists, but still no case waits for it: it stays a dead letter."""


@dataclass(frozen=True)
class Receipt:
    inbox_id: int
    status: str  # delivered | dead | replayed
    delivered: int
    duplicate: bool
    reason: str | None = None


def receive(engine: CaseEngine, name: str, gemeente: str, correlation: dict[str, Any],
            payload: dict[str, Any], idempotency_key: str | None, actor: str) -> Receipt:
    """Deliver (or dead-letter) a message once; a repeat with the same key returns the first receipt."""
    key = f"{gemeente}:{idempotency_key}" if idempotency_key else None
    if key:
        earlier = _by_key(engine, key)
        if earlier is not None:
            return earlier
    try:
        with engine.db.begin() as conn:
            inbox_id = _record(conn, engine, name, gemeente, correlation, payload, key, "delivered")
            delivered = engine.deliver_in(conn, name, payload, _case_ids(conn, gemeente, correlation), actor)
            conn.execute(update(inbox).where(inbox.c.id == inbox_id).values(delivered_to=delivered))
            return Receipt(inbox_id, "delivered", delivered, False)
    except IntegrityError:
        earlier = _by_key(engine, key) if key else None
        if earlier is None:
            raise
        return earlier  # a concurrent delivery with the same key won
    except NotFound as exc:
        with engine.db.begin() as conn:
            inbox_id = _record(conn, engine, name, gemeente, correlation, payload, key, "dead", str(exc))
        return Receipt(inbox_id, "dead", 0, False, str(exc))


def dead_letters(engine: CaseEngine, gemeente: str) -> list[dict[str, Any]]:
    with engine.reader.connect() as conn:
        rows = conn.execute(select(inbox).where(inbox.c.gemeente == gemeente, inbox.c.status == "dead")
                            .order_by(inbox.c.received_at, inbox.c.id)).mappings()
        return [{"id": r["id"], "name": r["name"], "received_at": r["received_at"].isoformat(),
                 "reason": r["reason"], "correlation": _masked(json.loads(r["correlation"]))} for r in rows]


def replay(engine: CaseEngine, inbox_id: int, gemeente: str, actor: str) -> Receipt:
    """Try a dead letter again (a case may be waiting for it by now)."""
    with engine.db.begin() as conn:
        row = conn.execute(select(inbox).where(inbox.c.id == inbox_id, inbox.c.gemeente == gemeente)
                           .with_for_update()).mappings().first()
        if row is None or row["status"] != "dead":
            raise NotFound(f"geen onbestelbaar bericht {inbox_id}")
        correlation, payload = json.loads(row["correlation"]), data_from_json(row["payload"])
        try:
            targets = _case_ids(conn, gemeente, correlation)
            delivered = engine.deliver_in(conn, row["name"], payload, targets, actor)
        except NotFound as exc:
            raise StillUndeliverable(str(exc)) from exc
        conn.execute(update(inbox).where(inbox.c.id == inbox_id).values(
            status="replayed", delivered_to=delivered, handled_at=engine.clock.now()))
        return Receipt(inbox_id, "replayed", delivered, False)


def _case_ids(conn: Connection, gemeente: str, correlation: dict[str, Any]) -> list[int]:
    if correlation.get("case_number"):
        query = select(cases.c.id).where(cases.c.gemeente == gemeente,
                                         cases.c.case_number == str(correlation["case_number"]))
    elif correlation.get("bsn"):
        query = (select(cases.c.id).join(clients, clients.c.id == cases.c.client_id)
                 .where(clients.c.gemeente == gemeente, clients.c.bsn == str(correlation["bsn"])))
    else:
        raise InvalidInput("correlatie: geef 'case_number' of 'bsn'")
    found = list(conn.execute(query).scalars())
    if not found:
        raise NotFound("geen zaak gevonden bij de correlatiesleutel van het bericht")
    return found


def _record(conn: Connection, engine: CaseEngine, name: str, gemeente: str, correlation: dict[str, Any],
            payload: dict[str, Any], key: str | None, status: str, reason: str | None = None) -> int:
    now = engine.clock.now()
    return inserted_id(conn.execute(inbox.insert().values(
        idempotency_key=key or f"{gemeente}:zonder-sleutel:{uuid.uuid4()}", name=name,
        gemeente=gemeente, correlation=json.dumps(correlation), payload=data_to_json(payload),
        status=status, reason=reason, received_at=now, handled_at=now)))


def _by_key(engine: CaseEngine, key: str) -> Receipt | None:
    with engine.reader.connect() as conn:
        row = conn.execute(select(inbox).where(inbox.c.idempotency_key == key)).mappings().first()
    if row is None:
        return None
    return Receipt(row["id"], row["status"], row["delivered_to"] or 0, True, row["reason"])


def _masked(correlation: dict[str, Any]) -> dict[str, Any]:
    """Dead letters are shown without the BSN in clear."""
    if correlation.get("bsn"):
        correlation = {**correlation, "bsn": "*****" + str(correlation["bsn"])[-4:]}
    return correlation

"""Collect all data held on one person in one gemeente, as plain JSON-ready structures.

Generic on purpose: every table with a ``case_id`` column is included, so a table added later
(documents, ledger lines, bezwaren) is in the export without anyone remembering to add it. Columns
holding the engine's serialized workflow state are left out: they are a technical copy of what
the events already contain (submitted data), and not readable to the person anyway.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine, RowMapping

from engine.audit.processing_log import Pseudonymizer
from engine.storage.db import cases, clients, processing_log, read_only, registered_tables

SKIP_TABLES = {"cases", "instances", "waits", "schedules"}  # cases: the top level; others: engine state
SKIP_COLUMNS = {"state", "serialization", "workflow"}  # serialized workflow state, never personal text


def export_person(db: Engine, gemeente: str, bsn: str, pseudonymizer: Pseudonymizer,
                  now: datetime) -> dict[str, Any]:
    """The inzage answer for ``bsn`` in ``gemeente`` (empty lists when nothing is held)."""
    with read_only(db).connect() as conn:
        client_rows = conn.execute(select(clients).where(clients.c.gemeente == gemeente,
                                                         clients.c.bsn == bsn)).mappings().all()
        client_ids = [c["id"] for c in client_rows]
        case_rows = conn.execute(select(cases).where(cases.c.client_id.in_(client_ids))
                                 .order_by(cases.c.id)).mappings().all() if client_ids else []
        case_ids = [c["id"] for c in case_rows]
        per_case = _per_case_tables(conn, case_ids)
        log_rows = conn.execute(select(processing_log).where(
            processing_log.c.gemeente == gemeente,
            processing_log.c.data_subject_id == pseudonymizer.pseudonym(gemeente, bsn),
        ).order_by(processing_log.c.at)).mappings().all()
    return {
        "soort": "inzage AVG art. 15",
        "gemeente": gemeente,
        "opgesteld_op": now.isoformat(),
        "clienten": [_plain(r) for r in client_rows],
        "zaken": [{**_plain(c), **{table: rows for table, rows in per_case.get(c["id"], {}).items()}}
                  for c in case_rows],
        "verwerkingen": [_plain(r) for r in log_rows],
    }


def _per_case_tables(conn: Connection, case_ids: list[int]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    found: dict[int, dict[str, list[dict[str, Any]]]] = {cid: {} for cid in case_ids}
    if not case_ids:
        return found
    for table in registered_tables():
        if table.name in SKIP_TABLES or "case_id" not in table.c:
            continue
        query = select(table).where(table.c.case_id.in_(case_ids))
        if "id" in table.c:
            query = query.order_by(table.c.id)
        for row in conn.execute(query).mappings():
            found[row["case_id"]].setdefault(table.name, []).append(_plain(row))
    return found


def _plain(row: RowMapping) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if key in SKIP_COLUMNS:
            continue
        out[key] = _value(value)
    return out


def _value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"(bestand, {len(bytes(value))} bytes; op te vragen als kopie)"
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)  # JSON text columns (payloads, form data) as structure
        except ValueError:
            return value
    return value

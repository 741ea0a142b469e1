"""The case's append-only event history, hash-chained.

Each event records one external input (who or what did what, when, with which data) and the hash
of the state it produced; its own hash covers the previous event's hash, so an edit anywhere in
the history breaks every later link.

Hash formats (issue 16): format 2 covers every stored column of an event row but its surrogate
``id`` (the case, the instance, the task's id and name too); format 1, written before, left
``case_id``, ``instance_id`` and ``task_name`` out. The body of a format-2 hash starts with its
format tag, so no text can hash alike in both. A chain may start with format-1 events (an
upgraded database) and go on in format 2, never back: ``hash_format`` tells which one an event is.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from engine.audit.seal import Sealer
from engine.storage import step_writes
from engine.storage.db import cases, events
from engine.storage.state import data_from_json, data_to_json

GENESIS = "0" * 64
# Built once: statement construction dominates the cost of a step on SQLite.
_MOVE_HEAD = update(cases).where(
    cases.c.id == bindparam("cid"), cases.c.version == bindparam("old_version"),
).values(
    event_count=bindparam("count"), head_hash=bindparam("head"), version=bindparam("new_version"),
    seal=bindparam("new_seal"))


@dataclass(frozen=True)
class Event:
    seq: int
    kind: str
    actor: str
    at: datetime
    instance_id: int | None
    task_id: str | None
    task_name: str | None
    payload: dict[str, Any]
    state_hash: str | None
    hash: str


HASH_FORMAT = 2
_FORMAT_TAG = "trede-event-2"
# json.dumps with options builds an encoder per call; verify hashes every event (issue 16 item 5).
_encode = json.JSONEncoder(separators=(",", ":")).encode


def event_hash(prev_hash: str, seq: int, kind: str, actor: str, at: datetime, task_id: str | None,
               payload_json: str, state_hash: str | None, *, case_id: int, instance_id: int | None,
               task_name: str | None) -> str:
    """The hash of an event in the current format (2): every stored column of its row."""
    body = _encode([_FORMAT_TAG, prev_hash, case_id, seq, instance_id, kind, actor, at.isoformat(),
                    task_id, task_name, payload_json, state_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def event_hash_v1(prev_hash: str, seq: int, kind: str, actor: str, at: datetime, task_id: str | None,
                  payload_json: str, state_hash: str | None) -> str:
    """The hash of an event written before format 2 (without case, instance and task name)."""
    body = _encode([prev_hash, seq, kind, actor, at.isoformat(), task_id, payload_json, state_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def row_hash(prev_hash: str, row: Mapping[str, Any], hash_format: int = HASH_FORMAT) -> str:
    """The hash a stored event row should carry in ``hash_format``, from its stored columns."""
    if hash_format == 1:
        return event_hash_v1(prev_hash, row["seq"], row["kind"], row["actor"], row["at"], row["task_id"],
                             row["payload"], row["state_hash"])
    return event_hash(prev_hash, row["seq"], row["kind"], row["actor"], row["at"], row["task_id"],
                      row["payload"], row["state_hash"], case_id=row["case_id"],
                      instance_id=row["instance_id"], task_name=row["task_name"])


def hash_format(prev_hash: str, row: Mapping[str, Any], newest_so_far: int) -> int | None:
    """Which format the row's stored hash is in (None: neither: the row was edited). Format 1 only
    counts while no earlier event of the chain was in format 2."""
    if row_hash(prev_hash, row) == row["hash"]:
        return HASH_FORMAT
    if newest_so_far < 2 and row_hash(prev_hash, row, 1) == row["hash"]:
        return 1
    return None


def append(conn: Connection, case: dict[str, Any], *, sealer: Sealer, kind: str, actor: str, at: datetime,
           payload: dict[str, Any], instance_id: int | None = None, task_id: str | None = None,
           task_name: str | None = None, state_hash: str | None = None) -> dict[str, Any]:
    """Append one event and move the case's head and version on; returns the updated case dict.

    ``case`` is the row read (and locked) at the start of the step; a concurrent writer that got
    there first makes the version check fail, and the whole step rolls back.
    """
    case, writes = append_writes(case, sealer=sealer, kind=kind, actor=actor, at=at, payload=payload,
                                 instance_id=instance_id, task_id=task_id, task_name=task_name,
                                 state_hash=state_hash)
    step_writes.run(conn, writes)
    return case


def append_writes(case: dict[str, Any], *, sealer: Sealer, kind: str, actor: str, at: datetime,
                  payload: dict[str, Any], instance_id: int | None = None, task_id: str | None = None,
                  task_name: str | None = None, state_hash: str | None = None
                  ) -> tuple[dict[str, Any], list[step_writes.Write]]:
    """What ``append`` writes (the event, the case's new head), for the caller to send with its own."""
    seq = case["event_count"] + 1
    payload_json = data_to_json(payload)
    digest = event_hash(case["head_hash"], seq, kind, actor, at, task_id, payload_json, state_hash,
                        case_id=case["id"], instance_id=instance_id, task_name=task_name)
    event = step_writes.insert(events, [dict(
        case_id=case["id"], seq=seq, instance_id=instance_id, kind=kind, actor=actor, at=at,
        task_id=task_id, task_name=task_name, payload=payload_json, state_hash=state_hash,
        prev_hash=case["head_hash"], hash=digest,
    )])
    head = step_writes.Write(_MOVE_HEAD, {
        "cid": case["id"], "old_version": case["version"], "count": seq, "head": digest,
        "new_version": case["version"] + 1, "new_seal": sealer.seal(case["id"], seq, digest)},
        conflict=f"zaak {case['case_number']} is intussen door iemand anders gewijzigd")
    return {**case, "event_count": seq, "head_hash": digest, "version": case["version"] + 1}, [event, head]


def history(conn: Connection, case_id: int) -> list[Event]:
    rows = conn.execute(select(events).where(events.c.case_id == case_id).order_by(events.c.seq)).mappings()
    return [Event(r["seq"], r["kind"], r["actor"], r["at"], r["instance_id"], r["task_id"], r["task_name"],
                  data_from_json(r["payload"]), r["state_hash"], r["hash"]) for r in rows]

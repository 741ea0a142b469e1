"""The processing log (Logboek Dataverwerkingen) as a hash chain per gemeente, head sealed.

Each line gets the next number of its gemeente's chain, the SHA-256 of its content, and a hash
over the previous line's hash, its number and that content hash; the head of each chain is
sealed with the key outside the database (engine.audit.seal), as the case histories are. Editing,
inserting or deleting a line then breaks the chain, and rewriting the whole chain breaks the
seal. One chain per gemeente, not one for all: lines of different gemeenten do not wait for each
other's lock, and a gemeente's log can be handed over and checked on its own.

Retention (a destroyed case) must remove what the log says about the case without breaking the
chain: ``destroy_lines`` blanks the content of the case's lines (subject, case, result, origin)
and keeps their content hash, so the links still check and the line says it was destroyed.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import ColumnElement

from engine.audit.journal import GENESIS
from engine.audit.seal import Sealer, load_sealer
from engine.storage import step_writes
from engine.storage.db import processing_log, processing_log_heads

CONTENT = ("trace_id", "span_id", "parent_span_id", "name", "start_time", "end_time", "status_code",
           "processing_activity_id", "data_subject_id", "data_subject_id_type", "gemeente", "actor",
           "origin", "object_ref", "result", "foreign_operation", "at")
DESTROYED = {"data_subject_id": None, "data_subject_id_type": None, "object_ref": None, "origin": None,
             "foreign_operation": None, "result": "vernietigd (bewaartermijn verstreken)"}
_sealer: list[Sealer] = []


def default_sealer() -> Sealer:
    if not _sealer:
        _sealer.append(load_sealer())
    return _sealer[0]


def content_hash(row: Mapping[str, Any] | RowMapping) -> str:
    values = [_plain(row[name]) for name in CONTENT]
    return hashlib.sha256(json.dumps(values, separators=(",", ":")).encode("utf-8")).hexdigest()


def link_hash(prev_hash: str, seq: int, digest: str) -> str:
    return hashlib.sha256(f"{prev_hash}:{seq}:{digest}".encode()).hexdigest()


def append(conn: Connection, row: dict[str, Any], sealer: Sealer | None = None) -> None:
    """Insert one log line as the next link of its gemeente's chain (in the caller's transaction)."""
    sealer = sealer or default_sealer()
    gemeente = row["gemeente"]
    head = conn.execute(_LOCK_HEAD, {"g": gemeente}).mappings().first()  # one writer per gemeente
    if head is None:  # the gemeente's first line
        conn.execute(_insert_head_if_missing(conn).values(gemeente=gemeente, seq=0, head_hash=GENESIS))
        head = conn.execute(_LOCK_HEAD, {"g": gemeente}).mappings().one()
    seq, digest = head["seq"] + 1, content_hash(row)
    new_hash = link_hash(head["head_hash"], seq, digest)
    # The line and the new head go out together: one round trip on PostgreSQL (engine.step_writes).
    step_writes.run(conn, [
        step_writes.insert(processing_log, [{**row, "seq": seq, "content_hash": digest,
                                             "prev_hash": head["head_hash"], "hash": new_hash}]),
        step_writes.Write(_MOVE_HEAD, {"g": gemeente, "new_seq": seq, "new_head": new_hash,
                                       "new_seal": sealer.seal(_seal_id(gemeente), seq, new_hash)},
                          conflict="het verwerkingenlogboek is intussen gewijzigd")])


_LOCK_HEAD = (select(processing_log_heads).where(processing_log_heads.c.gemeente == bindparam("g"))
              .with_for_update())
_MOVE_HEAD = (update(processing_log_heads).where(processing_log_heads.c.gemeente == bindparam("g"))
              .values(seq=bindparam("new_seq"), head_hash=bindparam("new_head"), seal=bindparam("new_seal")))


def destroy_lines(conn: Connection, where: ColumnElement[bool], now: datetime) -> int:
    """Blank the content of the matching lines, keeping their place and hashes in the chain."""
    return conn.execute(update(processing_log).where(where, processing_log.c.destroyed_at.is_(None))
                        .values(**DESTROYED, destroyed_at=now)).rowcount


@dataclass
class LogVerdict:
    gemeente: str
    lines: int = 0
    destroyed: int = 0
    before_chain: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(conn: Connection, gemeente: str, sealer: Sealer | None = None) -> LogVerdict:
    sealer = sealer or default_sealer()
    verdict = LogVerdict(gemeente)
    rows = conn.execute(select(processing_log).where(processing_log.c.gemeente == gemeente)
                        .order_by(processing_log.c.seq.is_(None).desc(), processing_log.c.seq,
                                  processing_log.c.id)).mappings()
    prev, expected, first_chained_id = GENESIS, 1, None
    for row in rows:
        if row["seq"] is None:
            verdict.before_chain += 1
            continue
        first_chained_id = row["id"] if first_chained_id is None else min(first_chained_id, row["id"])
        problem = _check_line(row, prev, expected)
        if problem:
            verdict.problems.append(problem)
            return verdict
        verdict.lines += 1
        verdict.destroyed += row["destroyed_at"] is not None
        prev, expected = row["hash"], expected + 1
    _check_unchained(conn, gemeente, first_chained_id, verdict)
    _check_head(conn, gemeente, expected - 1, prev, sealer, verdict)
    return verdict


def gemeenten(conn: Connection) -> list[str]:
    names = conn.execute(select(processing_log.c.gemeente).distinct()).scalars().all()
    return sorted(set(names) | set(conn.execute(select(processing_log_heads.c.gemeente)).scalars()))


def _check_line(row: RowMapping, prev: str, expected: int) -> str | None:
    where = f"regel {row['seq']} (id {row['id']})"
    if row["seq"] != expected:
        return f"regel {expected} ontbreekt in de keten (gevonden: {row['seq']})"
    if row["destroyed_at"] is None and content_hash(row) != row["content_hash"]:
        return f"{where} is gewijzigd: de inhoud past niet bij de hash"
    if row["prev_hash"] != prev or link_hash(prev, row["seq"], row["content_hash"]) != row["hash"]:
        return f"{where}: de hashketen klopt niet (regel verwijderd, tussengevoegd of gewijzigd)"
    return None


def _check_unchained(conn: Connection, gemeente: str, first_chained_id: int | None,
                     verdict: LogVerdict) -> None:
    if first_chained_id is None or not verdict.ok:
        return
    late = conn.execute(select(processing_log.c.id).where(
        processing_log.c.gemeente == gemeente, processing_log.c.seq.is_(None),
        processing_log.c.id > first_chained_id).limit(1)).scalar()
    if late is not None:
        verdict.problems.append(f"regel id {late} staat buiten de keten maar is later toegevoegd")


def _check_head(conn: Connection, gemeente: str, count: int, head_hash: str, sealer: Sealer,
                verdict: LogVerdict) -> None:
    if not verdict.ok:
        return
    head = conn.execute(select(processing_log_heads).where(
        processing_log_heads.c.gemeente == gemeente)).mappings().first()
    if head is None:
        if count:
            verdict.problems.append("de kop van de keten ontbreekt")
        return
    if head["seq"] != count or head["head_hash"] != head_hash:
        verdict.problems.append(f"de keten eindigt niet waar de kop zegt (regel {head['seq']}): "
                                "regels aan het eind verwijderd")
    elif not sealer.check(_seal_id(gemeente), count, head_hash, head["seal"]):
        verdict.problems.append("het zegel op de keten klopt niet: het logboek is buiten trede om "
                                "herschreven")


def _seal_id(gemeente: str) -> str:
    return f"verwerkingenlogboek:{gemeente}"  # never equal to a case id: seals cannot be swapped


def _insert_head_if_missing(conn: Connection) -> postgresql.Insert | SqliteInsert:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(processing_log_heads).on_conflict_do_nothing(index_elements=["gemeente"])
    return sqlite.insert(processing_log_heads).on_conflict_do_nothing(index_elements=["gemeente"])


def _plain(value: object) -> object:
    if isinstance(value, datetime):  # as the database gives it back: UTC, to the microsecond
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def verify_all(conn: Connection, sealer: Sealer | None = None) -> Iterable[LogVerdict]:
    return [verify(conn, g, sealer) for g in gemeenten(conn)]

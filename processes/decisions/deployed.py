"""Decision table versions deployed from the designer, stored in ``rule_versions``.

The pack files under ``bpmn/rules`` are the initial content that comes with a release; a
procesontwerper adds versions in the browser (four eyes: ``casework/designer/rule_changes.py``).
A deployed version answers for its gemeente from its geldig-vanaf date, but only for decisions
taken after it was deployed: a replay of a step asks with the step's recorded time, so a decision
taken before the deployment replays with the table it was taken with, whatever its date.

Each version is read with the pack files' loader (``model.parse_table``) and evaluated by the same
``TableEvaluator``: what the designer validated is what runs.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine.storage.rows import inserted_id
from processes.decisions.catalogue import Version
from processes.decisions.model import DecisionTable, parse_table
from processes.tables import rule_versions

_TABLES: dict[str, DecisionTable] = {}  # content hash -> parsed table (rows never change)
_TEXTS: dict[str, str] = {}  # content hash -> the DMN text


@dataclass(frozen=True)
class Deployed:
    """One stored version, as the designer's pages list it."""

    id: int
    gemeente: str
    decision_id: str
    geldig_vanaf: date
    content: str
    content_hash: str
    deployed_at: datetime
    submitted_by: str
    approved_by: str
    note: str | None


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def pseudo_path(gemeente: str, decision_id: str, geldig_vanaf: date, digest: str) -> Path:
    """How messages and listings name a version from the database (there is no file)."""
    return Path("ontwerper") / gemeente / geldig_vanaf.isoformat() / f"{decision_id}.dmn#{digest[:12]}"


def as_version(gemeente: str, decision_id: str, geldig_vanaf: date, content: str,
               deployed_id: int | None = None) -> Version:
    """A version of the catalogue from DMN text (raises PackError as a pack file would)."""
    digest = content_hash(content)
    table = _TABLES.get(digest)
    if table is None:
        table = parse_table(content.encode("utf-8"), pseudo_path(gemeente, decision_id, geldig_vanaf, digest))
        _TABLES[digest] = table
        _TEXTS[digest] = content
    return Version(gemeente, geldig_vanaf, table, gemeente, geldig_vanaf, deployed_id, digest)


def text_of(version: Version) -> str:
    """The DMN text of a version: its pack file, or the text deployed in the database."""
    if version.content_hash is not None and version.content_hash in _TEXTS:
        return _TEXTS[version.content_hash]
    return version.table.path.read_text(encoding="utf-8")


def versions_at(conn: Connection, gemeente: str, decision_id: str, at: datetime | None) -> list[Version]:
    """The gemeente's deployed versions of the decision that existed at ``at`` (None: all)."""
    query = select(rule_versions.c.id, rule_versions.c.geldig_vanaf, rule_versions.c.content).where(
        rule_versions.c.gemeente == gemeente, rule_versions.c.decision_id == decision_id)
    if at is not None:
        query = query.where(rule_versions.c.deployed_at <= at)
    return [as_version(gemeente, decision_id, row.geldig_vanaf, row.content, row.id)
            for row in conn.execute(query.order_by(rule_versions.c.id))]


def history(conn: Connection, gemeente: str, decision_id: str | None = None) -> list[Deployed]:
    """Every deployed version of the gemeente (of one decision), newest first."""
    query = select(rule_versions).where(rule_versions.c.gemeente == gemeente)
    if decision_id is not None:
        query = query.where(rule_versions.c.decision_id == decision_id)
    rows = conn.execute(query.order_by(rule_versions.c.id.desc())).mappings()
    return [Deployed(**dict(row)) for row in rows]


def record(conn: Connection, gemeente: str, decision_id: str, geldig_vanaf: date, content: str, *,
           deployed_at: datetime, submitted_by: str, approved_by: str, note: str | None) -> int:
    """Store an approved version; it answers decisions taken from ``deployed_at`` on."""
    return inserted_id(conn.execute(rule_versions.insert().values(
        gemeente=gemeente, decision_id=decision_id, geldig_vanaf=geldig_vanaf, content=content,
        content_hash=content_hash(content), deployed_at=deployed_at, submitted_by=submitted_by,
        approved_by=approved_by, note=note)))

"""Published reports, stored as they were published (figures as JSON, who and when).

A publication is never recomputed: destruction of old cases (engine.retention.destruction) removes their
events, and a published figure must stay what the gemeente published.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from engine.errors import NotFound
from engine.storage.db import read_only
from processes.tables import published_reports


@dataclass(frozen=True)
class Publication:
    id: int
    gemeente: str
    periode: str
    titel: str
    published_by: str
    published_at: datetime
    report: dict[str, Any]


def publish(db: Engine, report: dict[str, Any], actor: str, now: datetime) -> int:
    with db.begin() as conn:
        return conn.execute(published_reports.insert().values(
            gemeente=report["gemeente"], periode=report["periode"], titel=report["titel"],
            figures=json.dumps(report, ensure_ascii=False, sort_keys=False), published_by=actor,
            published_at=now)).inserted_primary_key[0]


def published(db: Engine, gemeente: str) -> list[Publication]:
    """The gemeente's publications, newest first."""
    query = (select(published_reports).where(published_reports.c.gemeente == gemeente)
             .order_by(published_reports.c.published_at.desc(), published_reports.c.id.desc()))
    with read_only(db).connect() as conn:
        return [_publication(r) for r in conn.execute(query).mappings()]


def get(db: Engine, publication_id: int, gemeente: str) -> Publication:
    """One publication of ``gemeente`` (another gemeente's is as good as absent: NotFound)."""
    query = select(published_reports).where(published_reports.c.id == publication_id,
                                            published_reports.c.gemeente == gemeente)
    with read_only(db).connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"rapportage {publication_id} bestaat niet")
    return _publication(row)


def _publication(row) -> Publication:
    return Publication(row["id"], row["gemeente"], row["periode"], row["titel"], row["published_by"],
                       row["published_at"], json.loads(row["figures"]))

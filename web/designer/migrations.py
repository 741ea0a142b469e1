"""The designer's view on migrating running cases (the work itself is engine.models.case_migration)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine.errors import NotFound
from engine.models.case_migration import EVENT_KIND, InstanceCheck, MigrationResult, Migrator
from engine.service import CaseEngine
from engine.storage.db import cases, events, instances
from engine.storage.state import data_from_json
from web.designer.versions import get_version_row


def dry_run(engine: CaseEngine, gemeente: str, process_id: str, from_version_id: int | None,
            target_version_id: int) -> list[InstanceCheck]:
    """Every running instance of the process in the gemeente (on one version if given), explained."""
    target = get_version_row(engine.db, target_version_id, gemeente)
    if target.process_id != process_id:
        raise NotFound(f"versie {target_version_id} hoort niet bij proces {process_id}")
    migrator = Migrator(engine)
    ids = migrator.select(process_id, from_version_id, gemeente)
    return migrator.dry_run(target_version_id, ids)


def migrate(engine: CaseEngine, gemeente: str, process_id: str, target_version_id: int,
            instance_ids: list[int], actor: str) -> list[MigrationResult]:
    """Migrate the chosen instances, but only those of this process and gemeente."""
    get_version_row(engine.db, target_version_id, gemeente)
    migrator = Migrator(engine)
    allowed = set(migrator.select(process_id, None, gemeente))
    return migrator.migrate(target_version_id, [i for i in instance_ids if i in allowed], actor)


def revert(engine: CaseEngine, gemeente: str, process_id: str, instance_id: int,
           actor: str) -> MigrationResult:
    migrator = Migrator(engine)
    if instance_id not in migrator.select(process_id, None, gemeente):
        raise NotFound(f"procesinstantie {instance_id} loopt niet in uw gemeente")
    return migrator.revert(instance_id, actor)


@dataclass(frozen=True)
class Migrated:
    instance_id: int
    case_number: str
    from_version: int
    to_version: int
    by: str
    at: datetime


def recent(engine: CaseEngine, gemeente: str, process_id: str, limit: int = 20) -> list[Migrated]:
    """Running instances whose last migration can still be reverted, newest first."""
    query = (select(events.c.instance_id, events.c.payload, events.c.actor, events.c.at, cases.c.case_number)
             .join(instances, instances.c.id == events.c.instance_id)
             .join(cases, cases.c.id == events.c.case_id)
             .where(events.c.kind == EVENT_KIND, instances.c.process_id == process_id,
                    instances.c.status == "running", cases.c.gemeente == gemeente)
             .order_by(events.c.id.desc()).limit(limit * 3))
    seen: dict[int, Migrated] = {}
    with engine.reader.connect() as conn:
        for row in conn.execute(query):
            if row.instance_id not in seen and len(seen) < limit:
                payload = data_from_json(row.payload)
                seen[row.instance_id] = Migrated(row.instance_id, row.case_number, payload["from_version"],
                                                 payload["to_version"], row.actor, row.at)
    return list(seen.values())

"""Moving running cases to another version of their process: the designer's dry run, the move, the
way back. The mechanics are engine.models.case_migration; here the actor's rules (a procesontwerper or
beheerder, only instances of their own gemeente), whatever way in asks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from casework.designer.versions import get_version_row
from casework.errors import NotAllowed
from casework.people import User
from engine.errors import NotFound
from engine.models.case_migration import EVENT_KIND, InstanceCheck, MigrationResult, Migrator
from engine.service import CaseEngine
from engine.storage.db import cases, events, instances
from engine.storage.state import data_from_json

MIGRATING_ROLES = frozenset({"procesontwerper", "beheerder"})


def dry_run(engine: CaseEngine, gemeente: str, process_id: str, from_version_id: int | None,
            target_version_id: int) -> list[InstanceCheck]:
    """Every running instance of the process in the gemeente (on one version if given), explained."""
    target = get_version_row(engine.db, target_version_id, gemeente)
    if target.process_id != process_id:
        raise NotFound(f"versie {target_version_id} hoort niet bij proces {process_id}")
    migrator = Migrator(engine)
    ids = migrator.select(process_id, from_version_id, gemeente)
    return migrator.dry_run(target_version_id, ids)


def migrate(engine: CaseEngine, user: User, process_id: str, target_version_id: int,
            instance_ids: list[int]) -> list[MigrationResult]:
    """Migrate the chosen instances, but only those of this process and the user's gemeente."""
    _may_migrate(user)
    target = get_version_row(engine.db, target_version_id, user.gemeente)
    if target.process_id != process_id:
        raise NotFound(f"versie {target_version_id} hoort niet bij proces {process_id}")
    migrator = Migrator(engine)
    allowed = set(migrator.select(process_id, None, user.gemeente))
    return migrator.migrate(target_version_id, [i for i in instance_ids if i in allowed], user.username)


def revert(engine: CaseEngine, user: User, process_id: str, instance_id: int) -> MigrationResult:
    _may_migrate(user)
    migrator = Migrator(engine)
    if instance_id not in migrator.select(process_id, None, user.gemeente):
        raise NotFound(f"procesinstantie {instance_id} loopt niet in uw gemeente")
    return migrator.revert(instance_id, user.username)


def _may_migrate(user: User) -> None:
    if not user.roles & MIGRATING_ROLES:
        raise NotAllowed("alleen een procesontwerper of beheerder zet lopende zaken over naar een andere "
                         "versie")


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

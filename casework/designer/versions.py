"""What the designer shows about deployed versions: lists, bundles, running cases per version."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from engine.errors import NotFound
from engine.models.versions import SHARED
from engine.storage.db import deployments, instances, process_versions, read_only

MODEL_SUFFIXES = (".bpmn", ".dmn", ".json")


@dataclass(frozen=True)
class VersionRow:
    id: int
    process_id: str
    name: str | None
    gemeente: str
    version: int
    content_hash: str
    deployment_id: int
    deployed_at: datetime
    deployed_by: str
    running: int  # running instances on this version
    deactivated_at: datetime | None = None  # new cases no longer start on it
    deactivated_by: str | None = None
    deactivated_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.deactivated_at is None


def visible_scopes(gemeente: str) -> tuple[str, str]:
    """A designer sees the shared versions and those of their own gemeente."""
    return (gemeente, SHARED)


def process_ids(db: Engine, gemeente: str) -> list[tuple[str, str | None]]:
    """(process id, latest name) of every process deployed for the gemeente or shared."""
    with read_only(db).connect() as conn:
        rows = conn.execute(select(process_versions.c.process_id, process_versions.c.name)
                            .where(process_versions.c.gemeente.in_(visible_scopes(gemeente)))
                            .order_by(process_versions.c.process_id, process_versions.c.id)).all()
    names: dict[str, str | None] = {}
    for process_id, name in rows:
        names[process_id] = name or names.get(process_id)
    return sorted(names.items())


def list_versions(db: Engine, process_id: str, gemeente: str) -> list[VersionRow]:
    """Every visible version of a process, newest first, with its running cases."""
    running = (select(instances.c.process_version_id, func.count().label("n"))
               .where(instances.c.status == "running").group_by(instances.c.process_version_id).subquery())
    query = (select(process_versions, deployments.c.deployed_at, deployments.c.deployed_by,
                    func.coalesce(running.c.n, 0).label("running"))
             .join(deployments, deployments.c.id == process_versions.c.deployment_id)
             .outerjoin(running, running.c.process_version_id == process_versions.c.id)
             .where(process_versions.c.process_id == process_id,
                    process_versions.c.gemeente.in_(visible_scopes(gemeente)))
             .order_by(process_versions.c.version.desc()))  # one sequence over all gemeenten
    with read_only(db).connect() as conn:
        return [VersionRow(r["id"], r["process_id"], r["name"], r["gemeente"], r["version"],
                           r["content_hash"], r["deployment_id"], r["deployed_at"], r["deployed_by"],
                           r["running"], r["deactivated_at"], r["deactivated_by"], r["deactivated_reason"])
                for r in conn.execute(query).mappings()]


def get_version_row(db: Engine, version_id: int, gemeente: str) -> VersionRow:
    row = next((v for v in _all_for(db, version_id, gemeente) if v.id == version_id), None)
    if row is None:
        raise NotFound(f"procesversie {version_id} bestaat niet of hoort niet bij uw gemeente")
    return row


def _all_for(db: Engine, version_id: int, gemeente: str) -> list[VersionRow]:
    with read_only(db).connect() as conn:
        process_id = conn.execute(select(process_versions.c.process_id)
                                  .where(process_versions.c.id == version_id)).scalar()
    return list_versions(db, process_id, gemeente) if process_id else []


def bundle_files(db: Engine, deployment_id: int) -> dict[str, str]:
    """The deployed bundle: {file name: text}."""
    with read_only(db).connect() as conn:
        text = conn.execute(select(deployments.c.files).where(deployments.c.id == deployment_id)).scalar()
    if text is None:
        raise NotFound(f"uitrol {deployment_id} bestaat niet")
    return dict(sorted(json.loads(text).items()))


def active_version_id(db: Engine, process_id: str, gemeente: str) -> int | None:
    """The version new cases of the gemeente start on (the gemeente's own beats the shared one; a
    deactivated version is skipped), as engine.models.versions.latest_version."""
    for scope in visible_scopes(gemeente):
        with read_only(db).connect() as conn:
            found = conn.execute(select(process_versions.c.id).where(
                process_versions.c.process_id == process_id, process_versions.c.gemeente == scope,
                process_versions.c.deactivated_at.is_(None),
            ).order_by(process_versions.c.version.desc()).limit(1)).scalar()
        if found is not None:
            return int(found)
    return None

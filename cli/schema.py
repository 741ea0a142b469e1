"""Every package's tables and migrations in one place: `trede db upgrade`, the tests and the
benchmarks migrate with ``upgrade`` here, never with the engine's alone.

The engine names no package above it; this module, at the top of the layers, knows them all.
Importing it also registers each package's tables and retention hooks with the engine.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData

from casework import tables as casework_tables
from engine.storage import db as engine_tables
from processes import tables as processes_tables
from web import tables as web_tables

PACKAGES = (engine_tables, processes_tables, casework_tables, web_tables)
# the packages' version locations, beside the engine's own
LOCATIONS: tuple[Path, ...] = tuple(p.MIGRATIONS for p in PACKAGES[1:])


def metadata() -> list[MetaData]:
    """Each package's MetaData: together, every table trede declares."""
    return [p.metadata for p in PACKAGES]


def table_names() -> set[str]:
    return {name for md in metadata() for name in md.tables}


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    from engine.storage import schema_migrations  # alembic: only for a migration, not every command

    schema_migrations.upgrade(url, revision, locations=LOCATIONS)

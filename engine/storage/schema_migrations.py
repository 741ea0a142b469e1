"""Schema migrations (Alembic) run from code, so `trede db upgrade` needs no alembic.ini.

The engine migrates its own tables (migrations/versions). The packages above it keep their
migrations in version locations of their own, whose first revisions depend on the engine's; the
caller passes those locations (cli/schema.py knows them all), so this module names no package.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from engine.storage.db import database_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None, locations: Sequence[Path] = (),
                   target_metadata: Sequence[MetaData] = ()) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    paths = [MIGRATIONS_DIR / "versions", *locations]
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in paths).replace("%", "%%"))
    cfg.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    if target_metadata:  # for autogenerate: the tables the revisions are compared with
        cfg.attributes["target_metadata"] = list(target_metadata)
    return cfg


def upgrade(url: str | None = None, revision: str = "heads", locations: Sequence[Path] = ()) -> None:
    # "heads": independent branches (one per area of the product) all apply.
    command.upgrade(alembic_config(url, locations), revision)

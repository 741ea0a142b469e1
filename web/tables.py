"""The web layer's own table, migrated in web/migrations/.

Failed sign-ins per account and per address (web/auth/throttle.py): shared by every web worker
and kept across restarts. One row per key (an HMAC, never the typed username), a fixed window.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table

from engine.storage.db import UTCDateTime, register_tables

MIGRATIONS = Path(__file__).parent / "migrations"

metadata = MetaData()

login_throttle = Table(
    "login_throttle", metadata,
    Column("key", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UTCDateTime, nullable=False, index=True),
)


register_tables(metadata)

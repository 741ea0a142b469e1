"""Throw-away databases for the benchmarks: a SQLite file in a temp dir, a PostgreSQL schema."""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from cli.schema import upgrade
from engine.storage.db import make_db_engine

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("TREDE_BENCH_POSTGRES_URL", DEFAULT_PG_URL)


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A migrated SQLite file database (WAL, as in production) that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="trede-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        yield url


def postgres_reachable(url: str) -> str | None:
    """None when PostgreSQL answers at ``url``; otherwise the first line of the reason why not."""
    try:
        engine = make_db_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available for the bench"
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A migrated schema of its own in the PostgreSQL at ``base_url``, dropped afterwards.

    The schema is selected through libpq's ``options`` so that the engine's own connections, not
    only ours, land in it.
    """
    schema = f"trede_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_db_engine(base_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in base_url else "?"
        url = f"{base_url}{sep}options=-csearch_path%3D{schema}"
        try:
            upgrade(url)
            yield url
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()

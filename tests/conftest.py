"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is reached at TREDE_TEST_POSTGRES_URL (default 127.0.0.1:5432, database `test`). Each
pytest process works in a schema of its own, so parallel runs never see each other's rows. When
PostgreSQL is unreachable its tests are skipped, and the run says so plainly at the end, unless
TREDE_REQUIRE_POSTGRES=1 (CI), in which case they fail.
"""
from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import text

from cli.schema import metadata, upgrade
from engine.db import make_engine

PG_URL = os.environ.get("TREDE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("TREDE_REQUIRE_POSTGRES") == "1"
# The tests run trede as a development install (no TREDE_SECRET_KEY needed; see README, Configuration).
os.environ.setdefault("TREDE_ENV", "development")
_pg_state: dict = {}


def _pg_schema_url() -> str | None:
    """Create this process's schema once; None when PostgreSQL cannot be reached."""
    if "url" in _pg_state:
        return _pg_state["url"]
    schema = f"trede_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable" here
        _pg_state["url"] = None
        _pg_state["error"] = str(exc).splitlines()[0]
        return None
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    upgrade(url)
    _pg_state.update(url=url, schema=schema)
    return url


def pytest_sessionfinish(session, exitstatus):
    schema = _pg_state.get("schema")
    if schema:
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def pytest_terminal_summary(terminalreporter):
    if _pg_state.get("url", "") is None:
        terminalreporter.write_line(
            "NOTE: PostgreSQL was unreachable "
            f"({_pg_state.get('error')}): the PostgreSQL part of the suite was SKIPPED.",
            yellow=True, bold=True,
        )


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate_all(engine) -> None:
    names = ", ".join(f'"{t.name}"' for md in metadata() for t in md.sorted_tables)  # every package's
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, _sqlite_template):
    """A migrated, empty database URL: SQLite file or this process's PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "trede.db"
        shutil.copy(_sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    yield _clean_postgres_url()


def _clean_postgres_url() -> str:
    url = _pg_schema_url()
    if url is None:
        message = f"PostgreSQL unreachable at {PG_URL}: {_pg_state.get('error')}"
        if REQUIRE_PG:
            pytest.fail(message)
        pytest.skip(message)
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def pg_url():
    """Only PostgreSQL: for what SQLite cannot do (several writers at once)."""
    return _clean_postgres_url()


@pytest.fixture
def pg_db(pg_url):
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(db_url):
    """A SQLAlchemy engine on the migrated test database."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (Playwright), one per test module (tests/browser.py)."""
    from tests.browser import chromium

    yield from chromium()

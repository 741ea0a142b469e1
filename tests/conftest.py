"""Shared fixtures: every database test runs on SQLite and on PostgreSQL; the one web app fixture.

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
from engine.clock import FixedClock
from engine.storage.db import make_db_engine
from tests.engine.helpers import START

PG_URL = os.environ.get("TREDE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("TREDE_REQUIRE_POSTGRES") == "1"
# The tests run trede as a development install (no TREDE_SECRET_KEY needed; see README, Configuration).
os.environ.setdefault("TREDE_ENV", "development")
_pg_state: dict = {}
pytest_plugins = ["tests.any_hour", "tests.markers"]  # another wall-clock hour; a kind for every test


def _pg_schema_url() -> str | None:
    """Create this process's schema once; None when PostgreSQL cannot be reached."""
    if "url" in _pg_state:
        return _pg_state["url"]
    schema = f"trede_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = make_db_engine(PG_URL)
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
        admin = make_db_engine(PG_URL)
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
    engine = make_db_engine(url)
    _truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def pg_url():
    """Only PostgreSQL: for what SQLite cannot do (several writers at once)."""
    return _clean_postgres_url()


@pytest.fixture
def pg_db(pg_url):
    engine = make_db_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(db_url):
    """A SQLAlchemy engine on the migrated test database."""
    engine = make_db_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (Playwright), one per test module (tests/browser.py)."""
    from tests.browser import chromium

    yield from chromium()


# --- the web app ------------------------------------------------------------------------------------
# One app fixture for every directory. A directory that needs more (auditors, a sealer, another
# start time) overrides `app_config` or `app_setup` in its conftest, never `app` itself.


def app_config_for(db_url: str, **extra) -> dict:
    """The test app's configuration: a fixed clock, so no test depends on the hour it runs at.

    Legal dates are Europe/Amsterdam dates; on the wall clock a test would see another date than the
    app between 23:00 and 24:00 UTC (and all day in some time zones).
    """
    return {"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret",
            "CLOCK": FixedClock(START), **extra}


@pytest.fixture
def app_config() -> dict:
    """Extra configuration for the app fixture (overridden per directory)."""
    return {}


@pytest.fixture
def app_setup():
    """What the app's database holds before a test: the web test bundle and its users."""
    from tests.web.helpers import add_users, deploy

    def setup(engine) -> None:
        deploy(engine)
        add_users(engine)
    return setup


@pytest.fixture
def app(db_url, app_config, app_setup):
    """The Flask app on the migrated test database; its engine runs on a fixed clock (START)."""
    from web.app import create_app

    app = create_app(app_config_for(db_url, **app_config))
    engine = app.extensions["trede.engine"]
    app_setup(engine)
    yield app
    engine.db.dispose()


@pytest.fixture
def engine(app):
    return app.extensions["trede.engine"]


@pytest.fixture
def signed_in(app):
    """A test client factory: ``signed_in("cm")`` is a client signed in as cm."""
    from tests.web.helpers import login

    def make(username: str):
        client = app.test_client()
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make

"""A database made by `trede db upgrade` before the tables moved to their packages (issue 15)
upgrades in place: the revisions kept their ids, so the upgrade runs no DDL, keeps every row, and
leaves the schema the packages declare, on SQLite and on PostgreSQL."""
from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, select, text

from casework.tables import api_tokens, users
from cli import schema
from engine.storage.db import make_db_engine
from engine.storage.schema_migrations import alembic_config
from processes.tables import published_reports
from tests.conftest import PG_URL, REQUIRE_PG
from web.tables import login_throttle

BEFORE = Path(__file__).parent / "fixtures" / "migrations_before_issue15"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# DDL of revisions written after the split, which an upgrade from then rightly runs (new tables
# and columns, not a moved table made again).
SINCE_THE_SPLIT = ("incidents", "user_sessions", "ADD COLUMN expires_at", "ADD COLUMN last_used_at",
                   "parties", "party_cases", "client_id DROP NOT NULL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    """A database with no tables at all (its own PostgreSQL schema, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    name = f"trede_upgrade_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = make_db_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except Exception as exc:  # noqa: BLE001 - unreachable, as in conftest
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{name}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


def _as_main_made_it(url: str) -> None:
    """`trede db upgrade` as main ran it: every revision in the engine's one version location."""
    cfg = alembic_config(url)
    cfg.set_main_option("version_locations", str(BEFORE))
    command.upgrade(cfg, "heads")


def _heads(db) -> set[str]:
    with db.connect() as conn:
        return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _frozen_heads(url: str) -> list[str]:
    cfg = alembic_config(url)
    cfg.set_main_option("version_locations", str(BEFORE))
    return list(ScriptDirectory.from_config(cfg).get_heads())


def _upgrade_recording_statements(db, url: str) -> list[str]:
    """The statements of upgrading to the frozen revisions with today's scripts; revisions added
    since (e.g. dmn_0001) then run unrecorded, as they bring DDL of their own."""
    statements: list[str] = []
    with db.connect() as conn:
        event.listen(conn, "before_cursor_execute",
                     lambda _c, _cur, statement, *_a: statements.append(statement))
        cfg = alembic_config(url, schema.LOCATIONS)
        cfg.attributes["connection"] = conn
        for head in _frozen_heads(url):
            command.upgrade(cfg, head)
        conn.commit()
    with db.connect() as conn:
        cfg = alembic_config(url, schema.LOCATIONS)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        conn.commit()
    return statements


@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_a_database_made_by_main_upgrades_without_ddl_and_keeps_its_rows(empty_url):
    _as_main_made_it(empty_url)
    old = make_db_engine(empty_url)
    with old.begin() as conn:  # one row in a table of each package that moved
        conn.execute(users.insert().values(username="cm1", password_hash="x", naam="Casemanager",
                                           gemeente="woerden", roles="casemanager", active=True,
                                           created_at=NOW))
        conn.execute(api_tokens.insert().values(token_hash="a" * 64, name="koppeling", gemeente="woerden",
                                                scopes="zaken:lezen", created_at=NOW))
        conn.execute(published_reports.insert().values(gemeente="woerden", periode="2026-K3", titel="K3",
                                                        figures="{}", published_by="tl", published_at=NOW))
        conn.execute(login_throttle.insert().values(key="k" * 64, failures=2, window_start=NOW))

    statements = _upgrade_recording_statements(old, empty_url)

    assert any("alembic_version" in s for s in statements)  # the listener saw the upgrade
    ddl = [s for s in statements if s.lstrip().upper().startswith(("CREATE", "ALTER", "DROP"))
           and not any(later in s for later in SINCE_THE_SPLIT)]
    assert ddl == []
    today = ScriptDirectory.from_config(alembic_config(empty_url, schema.LOCATIONS))
    assert _heads(old) == set(today.get_heads())
    with old.connect() as conn:
        assert conn.execute(select(users.c.username)).scalars().all() == ["cm1"]
        assert conn.execute(select(api_tokens.c.name)).scalars().all() == ["koppeling"]
        # sessions_0001: a token from before expiry was introduced gets 90 days from the upgrade
        expires = conn.execute(select(api_tokens.c.expires_at)).scalar_one()
        assert expires - datetime.now(UTC) > timedelta(days=89)
        assert conn.execute(select(published_reports.c.periode)).scalars().all() == ["2026-K3"]
        assert conn.execute(select(login_throttle.c.failures)).scalars().all() == [2]
        assert compare_metadata(MigrationContext.configure(conn), schema.metadata()) == []
    old.dispose()

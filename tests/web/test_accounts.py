"""Accounts: the 0002 migration matches the schema, and the account service functions."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import update

from casework.accounts.service import AccountError, authenticate, create_user
from casework.people import users_in_gemeente
from casework.roles import lane_role, may_work_in_lane
from casework.tables import metadata, users
from tests.web.helpers import PASSWORD

OURS = {"users", "teams", "case_notes", "task_drafts"}


def test_migration_creates_the_account_tables_as_declared(db):
    with db.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    ours = [d for d in diffs if any(name in repr(d) for name in OURS)]
    assert ours == []


def test_create_and_authenticate(app, engine):
    assert authenticate(engine.db, "cm", PASSWORD).roles == {"casemanager"}
    assert authenticate(engine.db, "cm", "fout") is None
    with pytest.raises(AccountError, match="onbekende rol"):
        create_user(engine.db, "x", "pw", "X", "woerden", ["koning"])
    with pytest.raises(AccountError, match="onbekende gemeente"):
        create_user(engine.db, "x", "pw", "X", "amsterdam", ["casemanager"])
    with pytest.raises(AccountError, match="bestaat al"):
        create_user(engine.db, "cm", "pw", "X", "woerden", ["casemanager"])
    assert [u.username for u in users_in_gemeente(engine.db, "ooststellingwerf", "teamleider")] == ["lead"]


def test_a_deactivated_user_is_signed_out(app, engine, signed_in):
    client = signed_in("cm")
    with engine.db.begin() as conn:
        conn.execute(update(users).where(users.c.username == "cm").values(active=False))
    assert client.get("/werkvoorraad").status_code == 302
    assert authenticate(engine.db, "cm", PASSWORD) is None


def test_lanes_map_to_roles():
    assert lane_role("casemanager werk") == "casemanager"
    assert lane_role("financiële administratie") == "financien"
    assert lane_role("Teamleider") == "teamleider"
    assert lane_role("inwoner") is None and lane_role(None) is None
    assert may_work_in_lane(frozenset({"casemanager"}), "casemanager werk")
    assert not may_work_in_lane(frozenset({"financien"}), "casemanager werk")

"""The tables of the use-case layer: accounts, teams, notes, drafts, API tokens, the designer's
pending deployments and model tests, and the beheer settings and log (issues 4, 7, 8), migrated in
casework/migrations/. The engine never reads them; retention calls ``destroy_case_rows``
(registered below) when a case is destroyed.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    select,
    true,
)
from sqlalchemy.engine import Connection

from engine.retention import destruction
from engine.storage.db import (
    UTCDateTime,
    cases,
    deployments,
    events,
    process_versions,
    register_tables,
    work_items,
)
from engine.storage.field_crypto import ProtectedJSON, ProtectedText

MIGRATIONS = Path(__file__).parent / "migrations"

metadata = MetaData()

# --- Accounts, teams, case notes and form drafts (issue 4) ---------------------------------------

teams = Table(
    "teams", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("name", String(128), nullable=False),
    UniqueConstraint("gemeente", "name", name="uq_team_name"),
)


users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(128), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("naam", String(255), nullable=False),
    Column("gemeente", String(64), nullable=False, index=True),
    Column("roles", String(255), nullable=False),  # space separated, e.g. "casemanager teamleider"
    Column("team", String(128)),  # a teams.name in the same gemeente
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


case_notes = Table(
    "case_notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey(cases.c.id), nullable=False, index=True),
    Column("author", String(128), nullable=False),
    Column("text", ProtectedText("case_notes.text"), nullable=False),  # free text: encrypted whole
    Column("created_at", UTCDateTime, nullable=False),
)


task_drafts = Table(
    "task_drafts", metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", String(36), nullable=False),
    Column("username", String(128), nullable=False),
    Column("data", ProtectedJSON, nullable=False),  # JSON of the raw form fields, as typed
    Column("saved_at", UTCDateTime, nullable=False),
    UniqueConstraint("task_id", "username", name="uq_task_draft"),
)


# --- API tokens (issue 5) -------------------------------------------------------------------------

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256; the token itself is never stored
    Column("name", String(128), nullable=False),
    Column("gemeente", String(64), nullable=False),
    Column("scopes", String(512), nullable=False),  # space separated
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("expires_at", UTCDateTime),  # set for every token (migration sessions_0001 filled old ones)
    Column("last_used_at", UTCDateTime),  # to the hour: shown by `trede token list`
)


# --- Sign-in sessions, kept on the server (issue 17, finding 3) ----------------------------------

user_sessions = Table(
    "user_sessions", metadata,  # the cookie carries a secret; only its SHA-256 is stored
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey(users.c.id), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),  # the absolute lifetime counts from here
    Column("last_seen_at", UTCDateTime, nullable=False),  # the idle timeout, to the minute
    Column("ended_at", UTCDateTime),
    Column("end_reason", String(32)),  # afgemeld | gedeactiveerd | wachtwoord_gereset
)


# --- Process designer: deployments awaiting approval and model tests (issue 7) -----------------

pending_deployments = Table(
    "pending_deployments", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False, index=True),
    Column("process_id", String(255), nullable=False),  # the process the designer edited
    Column("base_version_id", Integer, ForeignKey(process_versions.c.id)),  # what the edit started from
    Column("files", Text, nullable=False),  # JSON {filename: text}, the whole bundle
    Column("content_hash", String(64), nullable=False),
    Column("note", Text),  # the designer's explanation of the change
    Column("status", String(16), nullable=False),  # pending | approved | refused | withdrawn
    Column("submitted_by", String(128), nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", UTCDateTime),
    Column("decision", Text),  # JSON: why refused (problems, failed tests) or the versions created
    Column("deployment_id", Integer, ForeignKey(deployments.c.id)),
)


model_tests = Table(
    "model_tests", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # process | decision
    Column("target", String(255), nullable=False),  # process id or decision id
    Column("name", String(255), nullable=False),
    Column("scenario", Text, nullable=False),  # JSON, see web/designer/model_tests.py
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_model_tests_target", "gemeente", "kind", "target"),
)


# --- Administration: settings per gemeente, the beheer log, absences, case teams (issue 4, 8.1) --

gemeente_settings = Table(
    "gemeente_settings", metadata,
    Column("gemeente", String(64), primary_key=True),
    Column("team_scoped", Boolean, nullable=False),  # cases visible only to the case's own team
    Column("updated_by", String(128), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # the letter template (issue 18 item 9): name, sender, signature line, logo (PNG); four eyes
    Column("brief_naam", String(128)),
    Column("brief_afzender", Text),
    Column("brief_ondertekening", Text),
    Column("brief_logo", LargeBinary),
    Column("brief_vier_ogen", Boolean, nullable=False, server_default=true()),
)


admin_log = Table(
    "admin_log", metadata,  # append-only: who changed which account, team or setting, when, what
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(128)),  # a username or team name
    Column("detail", Text, nullable=False),
    Index("ix_admin_log_gemeente_at", "gemeente", "at"),
)


absences = Table(
    "absences", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("username", String(128), nullable=False),
    Column("vervanger", String(128), nullable=False),
    Column("start_date", Date, nullable=False),  # Europe/Amsterdam calendar dates, both inclusive
    Column("end_date", Date, nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_absences_gemeente_dates", "gemeente", "end_date"),
)


case_teams = Table(
    "case_teams", metadata,  # no foreign key: destruction removes the row by case id (retention)
    Column("case_id", Integer, primary_key=True, autoincrement=False),
    Column("gemeente", String(64), nullable=False),
    Column("team", String(128), nullable=False),
    Column("set_by", String(128), nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
    Index("ix_case_teams_gemeente_team", "gemeente", "team"),
)


def destroy_case_rows(conn: Connection, case: Mapping[str, Any], now: datetime) -> None:
    """Retention: a destroyed case's notes and form drafts go with it, and its team (who may see
    it), so that a later case can never inherit it."""
    case_id = case["id"]
    stepped = select(events.c.task_id).where(events.c.case_id == case_id, events.c.task_id.is_not(None))
    open_now = select(work_items.c.task_id).where(work_items.c.case_id == case_id)
    for task_ids in (stepped, open_now):
        conn.execute(delete(task_drafts).where(task_drafts.c.task_id.in_(task_ids)))
    for table in (case_notes, case_teams):
        conn.execute(delete(table).where(table.c.case_id == case_id))


register_tables(metadata)
destruction.on_destroy(destroy_case_rows)

# verify rebuilds the notes from the case events (issue 16); registered with the tables themselves
from casework import projections as _projections  # noqa: E402,F401

# after a timer, a message or a scheduled start: a handed-over casemanager's new tasks to the successor
from casework.team import successors as _successors  # noqa: E402,F401

"""Database schema (SQLAlchemy Core) and connection setup for SQLite and PostgreSQL.

State is stored as JSON *text*, never JSONB: SpiffWorkflow stores task data as differences from the
parent task, so key order matters and must survive the round trip.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from engine.field_crypto import FieldCipher, ProtectedBlob, ProtectedJSON, ProtectedText, attach

DEFAULT_SQLITE_PATH = Path("instance") / "trede.db"


class UTCDateTime(TypeDecorator):
    """Timestamps are stored in UTC and always come back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


metadata = MetaData()

deployments = Table(
    "deployments", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),  # "*" = shared by all municipalities
    Column("content_hash", String(64), nullable=False),
    Column("files", Text, nullable=False),  # JSON {filename: xml text}
    Column("deployed_at", UTCDateTime, nullable=False),
    Column("deployed_by", String(128), nullable=False),
    UniqueConstraint("gemeente", "content_hash", name="uq_deployment_content"),
)

process_versions = Table(
    "process_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("deployment_id", Integer, ForeignKey("deployments.id"), nullable=False),
    Column("process_id", String(255), nullable=False),
    Column("gemeente", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("name", String(255)),
    UniqueConstraint("process_id", "gemeente", "version", name="uq_process_version"),
)

clients = Table(
    "clients", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False, index=True),
    Column("bsn", String(9), nullable=False),
    Column("naam", String(255), nullable=False),
    Column("geboortedatum", String(10)),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("gemeente", "bsn", name="uq_client_bsn"),
)

cases = Table(
    "cases", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_number", String(32), nullable=False, unique=True),
    Column("gemeente", String(64), nullable=False, index=True),
    Column("client_id", Integer, ForeignKey("clients.id"), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("seal", String(64)),  # HMAC of the chain head with a key kept outside the database
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("resultaat", String(64)),  # the case result, which decides the retention period
    Column("archiefactiedatum", Date, index=True),  # destroy on or after this date
)

instances = Table(
    "instances", metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("process_version_id", Integer, ForeignKey("process_versions.id"), nullable=False),
    Column("process_id", String(255), nullable=False),
    Column("parent_instance_id", Integer, ForeignKey("instances.id")),
    Column("status", String(16), nullable=False),  # running | completed | error
    Column("state", ProtectedJSON, nullable=False),  # special fields encrypted (field_crypto)
    Column("state_hash", String(64), nullable=False),
    Column("id_counter", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("instance_id", Integer, ForeignKey("instances.id")),
    Column("kind", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("task_id", String(36)),
    Column("task_name", String(255)),
    Column("payload", ProtectedJSON, nullable=False),  # JSON: every external input needed for replay
    Column("state_hash", String(64)),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("case_id", "seq", name="uq_event_seq"),
)

work_items = Table(
    "work_items", metadata,
    Column("task_id", String(36), primary_key=True),
    Column("instance_id", Integer, ForeignKey("instances.id"), nullable=False, index=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("gemeente", String(64), nullable=False),
    Column("process_id", String(255), nullable=False),
    Column("task_name", String(255), nullable=False),
    Column("title", String(255), nullable=False),
    Column("lane", String(128)),
    Column("form", Text),  # JSON form definition carried by the user task, if any
    Column("claimed_by", String(128)),
    Column("claimed_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime),
    Index("ix_work_items_gemeente_claimed", "gemeente", "claimed_by"),
)

waits = Table(
    "waits", metadata,
    Column("id", Integer, primary_key=True),
    Column("instance_id", Integer, ForeignKey("instances.id"), nullable=False, index=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # timer | message
    Column("name", String(255), nullable=False),
    Column("due_at", UTCDateTime, index=True),
    Index("ix_waits_kind_name", "kind", "name"),
)

schedules = Table(
    "schedules", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("process_id", String(255), nullable=False),
    Column("every", String(32), nullable=False),  # ISO 8601 duration, calendar aware (P1Y, P6M)
    Column("next_due_at", UTCDateTime, nullable=False, index=True),
    Column("data", ProtectedJSON, nullable=False),
    Column("active", Boolean, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256; the token itself is never stored
    Column("name", String(128), nullable=False),
    Column("gemeente", String(64), nullable=False),
    Column("scopes", String(512), nullable=False),  # space separated
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

deadlines = Table(
    "deadlines", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("instance_id", Integer, ForeignKey("instances.id")),
    Column("name", String(255), nullable=False),
    Column("kind", String(32), nullable=False),  # fatale_termijn | streefdatum
    Column("legal_basis", String(255)),
    Column("start_date", Date, nullable=False),  # Europe/Amsterdam calendar date
    Column("term", String(32), nullable=False),  # ISO period, calendar aware: P8W, P6M
    Column("extension", String(32)),  # verlenging, ISO period
    Column("suspended_days", Integer, nullable=False),
    Column("suspended_since", Date),  # opschorting in progress
    Column("due_date", Date, nullable=False, index=True),  # recomputed on every change
    Column("status", String(16), nullable=False),  # open | voldaan | vervallen
    Column("escalated_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Index("ix_deadlines_open_due", "status", "due_date"),
)

inbox = Table(
    "inbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("gemeente", String(64), nullable=False),
    Column("correlation", Text, nullable=False),  # JSON
    Column("payload", Text, nullable=False),  # JSON
    Column("status", String(16), nullable=False),  # delivered | dead | replayed
    Column("reason", Text),
    Column("delivered_to", Integer),  # number of instances that received it
    Column("received_at", UTCDateTime, nullable=False),
    Column("handled_at", UTCDateTime),
    Index("ix_inbox_status", "status", "gemeente"),
)

destruction_lists = Table(
    "destruction_lists", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # concept | vernietigd
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("approved_by", String(128)),
    Column("approved_at", UTCDateTime),
)

destruction_list_items = Table(
    "destruction_list_items", metadata,
    Column("list_id", Integer, ForeignKey("destruction_lists.id"), primary_key=True),
    Column("case_number", String(32), primary_key=True),
)

destroyed_cases = Table(
    "destroyed_cases", metadata,
    Column("case_number", String(32), primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("resultaat", String(64)),
    Column("archiefactiedatum", Date),
    Column("event_count", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("list_id", Integer, ForeignKey("destruction_lists.id"), nullable=False),
    Column("destroyed_at", UTCDateTime, nullable=False),
)


def database_url(explicit: str | None = None) -> str:
    """The configured database (the settings' TREDE_DATABASE_URL), else SQLite at instance/trede.db."""
    if explicit:
        return explicit
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | None = None, *, cipher: FieldCipher | None = None, **kwargs) -> Engine:
    """A SQLAlchemy engine for ``url``; ``cipher`` encrypts its protected columns (field_crypto)."""
    engine = _make_engine(database_url(url), **kwargs)
    attach(engine, cipher or FieldCipher(()))
    return engine


def _make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping: it costs a round trip on every checkout; recycle instead, well within server timeouts.
    engine = create_engine(url, pool_recycle=1800, **kwargs)
    if engine.dialect.driver == "psycopg":
        _end_reads_with_commit(engine.dialect)
    return engine


def _end_reads_with_commit(dialect) -> None:
    """A read-only transaction on PostgreSQL ends with COMMIT instead of ROLLBACK.

    psycopg forgets its prepared statements at every ROLLBACK (DDL may have been undone), so a
    read between two steps would make every step plan its statements anew. A READ ONLY
    transaction has nothing to undo: COMMIT ends it alike and keeps them.
    """
    from psycopg.pq import TransactionStatus  # the driver of this engine, so installed

    rollback = dialect.do_rollback

    def do_rollback(connection) -> None:
        raw = getattr(connection, "dbapi_connection", connection)  # the pool's proxy, or psycopg's own
        # INTRANS: idle inside a transaction without an error; anything else really rolls back
        if raw.read_only and raw.info.transaction_status == TransactionStatus.INTRANS:
            raw.commit()
        else:
            rollback(connection)

    dialect.do_rollback = do_rollback


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy issue BEGIN itself (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def read_only(engine: Engine) -> Engine:
    """The same engine and pool for work that only reads (replay, reports, pages).

    Its transactions are snapshots: on SQLite a plain BEGIN in WAL mode (readers neither queue
    behind writers nor behind each other; anything else takes the write lock at BEGIN), on
    PostgreSQL REPEATABLE READ, READ ONLY (one snapshot for all the statements of a replay).
    """
    reader = engine.__dict__.get(_READER)
    if reader is None:  # made once per engine: a copy with options costs ~25 us, pages ask often
        options: dict = {READ_ONLY: True}
        if engine.dialect.name == "postgresql":
            options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        reader = engine.execution_options(**options)
        engine.__dict__[_READER] = reader
        reader.__dict__[_READER] = reader
    return reader


_READER = "_trede_reader"


READ_ONLY = "trede_read_only"


def _sqlite_begin(conn) -> None:
    # Writers take the lock at BEGIN, so a read-modify-write step can never be overtaken.
    read = conn.get_execution_options().get(READ_ONLY)
    conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- Accounts, teams, case notes and form drafts (web UI, issue 4) ----------------------------
# Owned by the web layer; the engine never reads these tables.

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
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
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


# Failed sign-ins per account and per address (web/auth/throttle.py): shared by every web worker
# and kept across restarts. One row per key (an HMAC, never the typed username), a fixed window.
login_throttle = Table(
    "login_throttle", metadata,
    Column("key", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UTCDateTime, nullable=False, index=True),
)


# --- Processing log: Logboek Dataverwerkingen (issue 6, item 6) ------------------------------
# Written by engine/processing_log.py. One row per processing of one data subject's personal data.
# The data subject is a keyed pseudonym (HMAC with a key outside the database), never a BSN.

processing_log = Table(
    "processing_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("trace_id", String(32), nullable=False, index=True),  # 16 bytes, hex
    Column("span_id", String(16), nullable=False, unique=True),  # 8 bytes, hex
    Column("parent_span_id", String(16)),
    Column("name", String(255), nullable=False),
    Column("start_time", UTCDateTime, nullable=False),
    Column("end_time", UTCDateTime, nullable=False),
    Column("status_code", Integer, nullable=False),  # 0 UNSET, 1 OK, 2 ERROR (as in LDV/OpenTelemetry)
    Column("processing_activity_id", String(255), nullable=False, index=True),  # URI in the register
    Column("data_subject_id", String(64), index=True),  # keyed pseudonym, hex
    Column("data_subject_id_type", String(32)),
    Column("gemeente", String(64), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("origin", String(64)),  # BIO 8.15.01 "Oorsprong": the client's address
    Column("object_ref", String(255)),  # what was processed, e.g. a case number (never a BSN)
    Column("result", String(255), nullable=False),
    Column("foreign_operation", Text),  # JSON {trace_id, span_id}: the caller's W3C trace context
    Column("at", UTCDateTime, nullable=False),
    # Hash chain per gemeente (engine/log_chain.py); NULL seq: a line from before the chain.
    Column("seq", Integer),
    Column("content_hash", String(64)),  # SHA-256 of the line's content; kept when it is destroyed
    Column("prev_hash", String(64)),
    Column("hash", String(64)),
    Column("destroyed_at", UTCDateTime),  # retention removed the content (case destroyed)
    Index("ix_processing_log_gemeente_at", "gemeente", "at"),
    UniqueConstraint("gemeente", "seq", name="uq_processing_log_seq"),
)

# The head of each gemeente's processing-log chain, sealed with the key outside the database.
processing_log_heads = Table(
    "processing_log_heads", metadata,
    Column("gemeente", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("seal", String(64)),
)


# --- Process designer: deployments awaiting approval and model tests (issue 7) -----------------
# Owned by web/designer; the engine never reads these tables.

pending_deployments = Table(
    "pending_deployments", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False, index=True),
    Column("process_id", String(255), nullable=False),  # the process the designer edited
    Column("base_version_id", Integer, ForeignKey("process_versions.id")),  # what the edit started from
    Column("files", Text, nullable=False),  # JSON {filename: text}, the whole bundle
    Column("content_hash", String(64), nullable=False),
    Column("note", Text),  # the designer's explanation of the change
    Column("status", String(16), nullable=False),  # pending | approved | refused | withdrawn
    Column("submitted_by", String(128), nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", UTCDateTime),
    Column("decision", Text),  # JSON: why refused (problems, failed tests) or the versions created
    Column("deployment_id", Integer, ForeignKey("deployments.id")),
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


# --- Money, beschikkingen, bezwaar, case documents, public offers (issue 3, items 3, 5, 6) -------
# Owned by processes/ledger.py, processes/documents.py, processes/beschikking.py and
# web/aanbod. case_id has an index but no foreign key on purpose: the ledger must outlive the
# destruction of a case (fiscal retention, AWR art. 52), and retention (engine/retention.py)
# destroys the case rows it knows without first having to know every area's tables.
# Amounts are whole cents (Integer): exact on SQLite too, where Numeric is a float.

ledger_lines = Table(
    "ledger_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("case_number", String(32), nullable=False),
    Column("gemeente", String(64), nullable=False, index=True),
    Column("instance_id", Integer),  # the process instance whose fiat produced the line
    Column("event_seq", Integer),  # the case event of the step (the fiat) that produced it
    Column("beslissing", String(255)),  # the decision (DMN id / task) the amount comes from
    Column("soort", String(32), nullable=False),  # premie|vergoeding|voorschot|subsidie|terugvordering
    Column("ontvanger", String(255), nullable=False),
    Column("omschrijving", Text, nullable=False),
    Column("bedrag_centen", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # concept | goedgekeurd | betaald
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("approved_by", String(128)),
    Column("approved_at", UTCDateTime),
    Column("exported_at", UTCDateTime),
    Column("paid_by", String(128)),
    Column("paid_at", UTCDateTime),
    Index("ix_ledger_lines_status", "gemeente", "status"),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("soort", String(64), nullable=False),  # e.g. plan van aanpak, uwv-advies, bewijsstuk, beschikking
    Column("filename", String(255), nullable=False),
    Column("content_type", String(64), nullable=False),  # from the magic bytes, not the name
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", ProtectedBlob, nullable=False),  # encrypted at rest (engine/field_crypto.py)
    Column("uploaded_by", String(128), nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
)

beschikkingen = Table(
    "beschikkingen", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("instance_id", Integer),
    Column("event_seq", Integer),  # the case event of the decision
    Column("onderwerp", String(255), nullable=False),
    Column("besluit", String(32), nullable=False),  # toekennen | afwijzen | terugvorderen
    Column("bedrag_centen", Integer),  # the amount the letter names, if any (a terugvordering always)
    Column("motivering", Text, nullable=False),
    Column("regel", Text, nullable=False),  # the rule that fired (seed + article, DMN id)
    Column("verzonden_op", Date, nullable=False),  # Awb 6:8: the objection term starts the day after
    Column("document_id", Integer),
    Column("status", String(16), nullable=False),  # geldig | herzien
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

bezwaren = Table(
    "bezwaren", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("beschikking_id", Integer, ForeignKey("beschikkingen.id"), nullable=False),
    Column("ontvangen_op", Date, nullable=False),
    Column("tijdig", Boolean, nullable=False),
    Column("verschoonbaar", Text),  # Awb 6:11: why a late objection is still admissible
    Column("adviescommissie", Boolean, nullable=False),
    Column("gronden", Text, nullable=False),
    Column("deadline_id", Integer),  # the Awb 7:10 term in the deadlines table
    Column("status", String(24), nullable=False),  # ingediend | gegrond | ongegrond | niet-ontvankelijk
    Column("beslissing", Text),
    Column("registered_by", String(128), nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", UTCDateTime),
)

public_submissions = Table(
    "public_submissions", metadata,  # the rate limit of the public offer form, per address
    Column("id", Integer, primary_key=True),
    Column("address_key", String(64), nullable=False),  # keyed hash of the address, not the address
    Column("at", UTCDateTime, nullable=False),
    Column("case_id", Integer),
    Index("ix_public_submissions_address", "address_key", "at"),
)


# --- Published management reports (issue 10) --------------------------------------------------
# Owned by processes/reports/store.py. The figures are stored as published (JSON), because the
# destruction of old cases later removes the events they were computed from.

published_reports = Table(
    "published_reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("gemeente", String(64), nullable=False),
    Column("periode", String(16), nullable=False),  # "2012-K1" or "2012"
    Column("titel", String(255), nullable=False),
    Column("figures", Text, nullable=False),  # JSON: the whole report as it was shown
    Column("published_by", String(128), nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Index("ix_published_reports_gemeente", "gemeente", "published_at"),
)


# --- Administration: settings per gemeente, the beheer log, absences, case teams (issue 4, 8.1) --
# Owned by web/accounts and web/team; the engine never reads these tables (retention deletes a
# destroyed case's case_teams row by name, as it does for the other areas' tables).

gemeente_settings = Table(
    "gemeente_settings", metadata,
    Column("gemeente", String(64), primary_key=True),
    Column("team_scoped", Boolean, nullable=False),  # cases visible only to the case's own team
    Column("updated_by", String(128), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
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

"""Database schema (SQLAlchemy Core) and connection setup for SQLite and PostgreSQL.

State is stored as JSON *text*, never JSONB: SpiffWorkflow stores task data as differences from the
parent task, so key order matters and must survive the round trip.
"""
from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    func,
    text,
)
from sqlalchemy.engine import Connection, Dialect, Engine, make_url
from sqlalchemy.types import TypeDecorator

from engine.storage.field_crypto import FieldCipher, ProtectedJSON, attach
from engine.storage.key_files import private_directory

if TYPE_CHECKING:
    import sqlite3

DEFAULT_SQLITE_PATH = Path("instance") / "trede.db"

# A package above the engine declares its tables on a MetaData of its own and registers it here
# (engine.storage.db.register_tables), so that what concerns every table, such as re-encrypting protected
# columns, finds them without the engine naming them.


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are stored in UTC and always come back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
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
    # Which engine runs the bundle's decision tables: NULL for bundles deployed before the standard
    # DMN engine (they keep SpiffWorkflow's, so recorded cases replay), "dmn-standard" since.
    Column("dmn_engine", String(32)),
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
    # Set while new cases may not start on this version (running ones continue); NULL = active.
    Column("deactivated_at", UTCDateTime),
    Column("deactivated_by", String(128)),
    Column("deactivated_reason", Text),
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
    Index("ix_clients_bsn", "bsn"),  # lookup by BSN across gemeenten (migration 0008)
)

cases = Table(
    "cases", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_number", String(32), nullable=False, unique=True),
    Column("gemeente", String(64), nullable=False, index=True),
    # None: a case about no person, e.g. an organisation's (the application links it to its own
    # register); migration a18_0001
    Column("client_id", Integer, ForeignKey("clients.id"), nullable=True, index=True),
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
    # the worklist at scale (migration 0008, measured in bench/worklist_scale.py)
    Index("ix_work_items_claimed_gemeente", "claimed_by", "gemeente"),
    Index("ix_work_items_gemeente_lane", "gemeente", "lane"),
    Index("ix_work_items_gemeente_process", "gemeente", "process_id"),
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

# A step that failed in the background (a timer the worker fired) puts its instance aside: the
# worker's scan skips it until a beheerder retries or cancels it (engine.scheduling.incidents).
incidents = Table(
    "incidents", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("instance_id", Integer, ForeignKey("instances.id"), nullable=False, unique=True),
    Column("gemeente", String(64), nullable=False),
    Column("element", String(255)),
    Column("error", Text, nullable=False),
    Column("status", String(16), nullable=False),  # open | retried | cancelled
    Column("occurrences", Integer, nullable=False),
    Column("first_at", UTCDateTime, nullable=False),
    Column("last_at", UTCDateTime, nullable=False),
    Column("resolved_by", String(128)),
    Column("resolved_at", UTCDateTime),
    Column("reason", Text),
    Index("ix_incidents_gemeente_status", "gemeente", "status"),
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
    # what the worklist probes per task; partial, so it holds only the open ones (migration 0008)
    Index("ix_deadlines_open_case", "case_id", "kind", "due_date",
          sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
)

inbox = Table(
    "inbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("gemeente", String(64), nullable=False),
    Column("correlation", ProtectedJSON, nullable=False),  # JSON
    # JSON; a message can carry health data (a signed plan's lichamelijkeSituatie), which is
    # encrypted here as in the state and the events, for delivered, dead and replayed messages
    Column("payload", ProtectedJSON, nullable=False),
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
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"  # made private on first use (_private_sqlite_file)


def make_db_engine(url: str | None = None, *, cipher: FieldCipher | None = None, **kwargs: Any) -> Engine:
    """A SQLAlchemy engine for ``url``; ``cipher`` encrypts its protected columns (field_crypto)."""
    engine = _make_db_engine(database_url(url), **kwargs)
    attach(engine, cipher or FieldCipher(()))
    return engine


def _make_db_engine(url: str, **kwargs: Any) -> Engine:
    # A failed statement's message must not carry its parameters into a log: they hold BSNs,
    # names and health data (issue 17, finding 5). The SQL itself is still shown.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping: it costs a round trip on every checkout; recycle instead, well within server timeouts.
    engine = create_engine(url, pool_recycle=1800, **kwargs)
    if engine.dialect.driver == "psycopg":
        _end_reads_with_commit(engine.dialect)
    return engine


def _private_sqlite_file(url: str) -> None:
    """The SQLite file holds BSNs: it is created readable by its owner only (0600) in a directory
    that is the owner's only (0700) when trede makes it (issue 17, finding 11). SQLite gives its
    -wal and -shm files the database file's mode. A file made earlier by a wider umask is
    narrowed; a directory that existed is left alone (it may be shared on purpose)."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    private_directory(file.parent)
    if file.exists():
        if file.stat().st_mode & 0o077:
            file.chmod(0o600)
        return
    os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))


def _end_reads_with_commit(dialect: Dialect) -> None:
    """A read-only transaction on PostgreSQL ends with COMMIT instead of ROLLBACK.

    psycopg forgets its prepared statements at every ROLLBACK (DDL may have been undone), so a
    read between two steps would make every step plan its statements anew. A READ ONLY
    transaction has nothing to undo: COMMIT ends it alike and keeps them.
    """
    from psycopg.pq import TransactionStatus  # the driver of this engine, so installed

    rollback = dialect.do_rollback

    def do_rollback(connection: Any) -> None:
        raw = getattr(connection, "dbapi_connection", connection)  # the pool's proxy, or psycopg's own
        # INTRANS: idle inside a transaction without an error; anything else really rolls back
        if raw.read_only and raw.info.transaction_status == TransactionStatus.INTRANS:
            raw.commit()
        else:
            rollback(connection)

    # Replaces the bound method on this dialect instance only (the class keeps its own).
    dialect.do_rollback = do_rollback  # type: ignore[method-assign, assignment]


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
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
        options: dict[str, Any] = {READ_ONLY: True}
        if engine.dialect.name == "postgresql":
            options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        reader = engine.execution_options(**options)
        engine.__dict__[_READER] = reader
        reader.__dict__[_READER] = reader
    return reader


_READER = "_trede_reader"


def single_reads(engine: Engine) -> Connection:
    """A connection for reads that need no common snapshot (use as a context manager): on
    PostgreSQL in autocommit mode each statement is one round trip, where a transaction costs
    three (BEGIN, the SELECT, its end). For lookups that a step checks again under its lock. On
    SQLite a snapshot as ``read_only`` (in-process: no round trips to save, and no write lock)."""
    if engine.dialect.name != "postgresql":
        return read_only(engine).connect()
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


READ_ONLY = "trede_read_only"


def _sqlite_begin(conn: Connection) -> None:
    # Writers take the lock at BEGIN, so a read-modify-write step can never be overtaken.
    read = conn.get_execution_options().get(READ_ONLY)
    conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- Processing log: Logboek Dataverwerkingen (issue 6, item 6) ------------------------------
# Written by engine/audit/processing_log.py. One row per processing of one data subject's personal data.
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
    # Hash chain per gemeente (engine/audit/log_chain.py); NULL seq: a line from before the chain.
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


# Substring search on name and case number (migration 0008): trigram indexes, PostgreSQL only
# (pg_trgm ships with it); SQLite searches without an index.
_TRIGRAM = (("ix_clients_naam_trgm", clients.c.naam), ("ix_cases_number_trgm", cases.c.case_number))
for _name, _column in _TRIGRAM:
    Index(_name, func.lower(_column).label("lowered"), postgresql_using="gin",
          postgresql_ops={"lowered": "public.gin_trgm_ops"}).ddl_if(dialect="postgresql")


# --- Tables of the packages above the engine ----------------------------------------------------

_registered: list[MetaData] = [metadata]


def register_tables(package_metadata: MetaData) -> None:
    """Called by a package's tables module when it is imported (processes, casework, web)."""
    if package_metadata not in _registered:
        _registered.append(package_metadata)


def registered_tables() -> list[Table]:
    """The engine's tables and those of every package registered so far, each package's sorted."""
    return [table for md in _registered for table in md.sorted_tables]

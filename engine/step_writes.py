"""A step's writes sent together: one round trip on PostgreSQL, one by one elsewhere.

A step ends with the same few writes: the instance's new state, the worklist and wait rows that
changed, the event and the case's new head. On PostgreSQL (psycopg) they go out as one pipeline:
the server runs them in order inside the step's transaction and the client waits once, not after
every statement -- on a busy two-core machine a round trip (two context switches) costs more than
the write itself. Elsewhere (SQLite: in-process, no round trips) they run one by one through
SQLAlchemy. Either way they are part of the step's one transaction: nothing commits here.

A write that must change exactly one row (a version check) turns a miss into a ConflictError
before the caller commits, so the transaction rolls back as a whole.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Table
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable

from engine.errors import ConflictError


@dataclass(frozen=True)
class Write:
    statement: Executable  # built once; what SQLAlchemy runs
    pg: str  # the same write for psycopg, with %(name)s parameters
    params: dict | list[dict]  # a list: one execution per row (executemany)
    conflict: str | None = None  # must change exactly one row; otherwise ConflictError(conflict)


def insert(table: Table, rows: Sequence[dict]) -> Write:
    """Insert ``rows`` (all with the same keys) into ``table``."""
    keys = tuple(rows[0])
    params = dict(rows[0]) if len(rows) == 1 else list(rows)
    return Write(_insert_statement(table), _pg_insert(table.name, keys), params)


def run(conn: Connection, writes: Iterable[Write]) -> None:
    writes = [w for w in writes if w is not None]
    if not writes:
        return
    if conn.dialect.driver == "psycopg":
        _run_pipeline(conn, writes)
        return
    for w in writes:
        result = conn.execute(w.statement, w.params)
        if w.conflict is not None and result.rowcount != 1:
            raise ConflictError(w.conflict)


def _run_pipeline(conn: Connection, writes: list[Write]) -> None:
    import psycopg  # the driver of this connection, so already loaded

    raw = conn.connection.dbapi_connection
    cursors = []
    try:
        with raw.pipeline():
            for w in writes:
                cur = raw.cursor()
                if isinstance(w.params, list):
                    cur.executemany(w.pg, [_pg_params(p) for p in w.params])
                else:
                    cur.execute(w.pg, _pg_params(w.params))
                cursors.append(cur)
    except psycopg.Error as exc:  # raised as through SQLAlchemy (IntegrityError, ...), and rolled back
        statements = "; ".join(w.pg for w in writes)
        raise DBAPIError.instance(statements, None, exc, psycopg.Error, dialect=conn.dialect) from exc
    for w, cur in zip(writes, cursors, strict=True):
        if w.conflict is not None and cur.rowcount != 1:
            raise ConflictError(w.conflict)
        cur.close()


def _pg_params(params: dict) -> dict:
    """UTC columns are ``timestamp without time zone``: send naive UTC, as the UTCDateTime type does."""
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            out[key] = value.astimezone(UTC).replace(tzinfo=None)
    return out


@lru_cache(maxsize=64)
def _insert_statement(table: Table):
    return table.insert()


@lru_cache(maxsize=64)
def _pg_insert(table_name: str, keys: tuple[str, ...]) -> str:
    columns = ", ".join(keys)
    values = ", ".join(f"%({k})s" for k in keys)
    return f"INSERT INTO {table_name} ({columns}) VALUES ({values})"


@lru_cache(maxsize=64)
def pg_sql(statement: Executable) -> str:
    """An UPDATE or DELETE built with named bindparams, compiled once for psycopg."""
    from sqlalchemy.dialects.postgresql.psycopg import dialect

    return str(statement.compile(dialect=dialect()))

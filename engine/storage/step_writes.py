"""A step's writes sent together: one round trip on PostgreSQL, one by one elsewhere.

A step ends with the same few writes: the instance's new state, the worklist and wait rows that
changed, the event and the case's new head. On PostgreSQL (psycopg) they go out as one pipeline:
the server runs them in order inside the step's transaction and the client waits once, not after
every statement -- on a busy two-core machine a round trip (two context switches) costs more than
the write itself. On SQLite (in-process, no round trips) they run one by one on the sqlite3
cursor, where SQLAlchemy's work per statement would cost more than the write; other drivers go
through SQLAlchemy. Both fast paths bind parameters with the columns' own SQLAlchemy types (UTC
timestamps, encrypted JSON fields). Either way the writes are part of the step's one
transaction: nothing commits here.

A write that must change exactly one row (a version check) turns a miss into a ConflictError
before the caller commits, so the transaction rolls back as a whole.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.types import TypeEngine

from engine.errors import ConflictError

# Per column: how SQLAlchemy's type turns a Python value into what the driver binds.
Processors = dict[str, Callable[[Any], Any]]


@dataclass(frozen=True)
class Write:
    statement: UpdateBase  # an INSERT, UPDATE or DELETE built once; what SQLAlchemy runs
    params: dict[str, Any] | list[dict[str, Any]]  # a list: one execution per row (executemany)
    conflict: str | None = None  # must change exactly one row; otherwise ConflictError(conflict)
    table: Table | None = None  # an insert into this table (its SQL for psycopg is built here)
    pg: str | None = None  # the write for psycopg where SQLAlchemy's form does not carry over


def insert(table: Table, rows: Sequence[dict[str, Any]]) -> Write:
    """Insert ``rows`` (all with the same keys) into ``table``."""
    params = dict(rows[0]) if len(rows) == 1 else list(rows)
    return Write(_insert_statement(table), params, table=table)


def run(conn: Connection, writes: Iterable[Write]) -> None:
    writes = [w for w in writes if w is not None]
    if not writes:
        return
    if conn.dialect.driver == "psycopg":
        _run_pipeline(conn, writes)
        return
    if conn.dialect.driver == "pysqlite":
        _run_sqlite(conn, writes)
        return
    for w in writes:
        _run_one(conn, w)


def _run_one(conn: Connection, w: Write) -> None:
    result = conn.execute(w.statement, w.params)
    if w.conflict is not None and result.rowcount != 1:
        raise ConflictError(w.conflict)


def _run_sqlite(conn: Connection, writes: list[Write]) -> None:
    """SQLite runs in-process: no round trips to save, but SQLAlchemy's work per statement (cache
    lookup, parameter processing, events) costs more than sqlite3's. The writes go straight to
    the sqlite3 cursor, bound with the columns' types as SQLAlchemy would bind them."""
    import sqlite3

    raw = conn.connection.dbapi_connection
    assert raw is not None  # an open Connection holds its DBAPI connection
    cur = raw.cursor()
    try:
        for w in writes:
            form = _qmark_form(w, conn.dialect)
            if form is None:  # a form SQLAlchemy must render (an expanding IN): through SQLAlchemy
                _run_one(conn, w)
                continue
            sql, names, processors = form
            if isinstance(w.params, list):
                cur.executemany(sql, [_positional(p, names, processors) for p in w.params])
            else:
                cur.execute(sql, _positional(w.params, names, processors))
            if w.conflict is not None and cur.rowcount != 1:
                raise ConflictError(w.conflict)
    except sqlite3.Error as exc:  # raised as through SQLAlchemy (IntegrityError, ...), and rolled back
        raise DBAPIError.instance(str(w.statement), None, exc, sqlite3.Error, dialect=conn.dialect) from exc
    finally:
        cur.close()


def _positional(params: dict[str, Any], names: tuple[str, ...], processors: Processors) -> tuple[Any, ...]:
    values = _processed(params, processors)
    return tuple(values[n] for n in names)


def _qmark_form(w: Write, dialect: Dialect) -> tuple[str, tuple[str, ...], Processors] | None:
    if w.table is not None:
        keys = tuple(w.params[0] if isinstance(w.params, list) else w.params)
        return _qmark_insert(w.table, keys, dialect)
    return _qmark_compiled(w.statement, dialect)


@lru_cache(maxsize=128)
def _qmark_insert(table: Table, keys: tuple[str, ...],
                  dialect: Dialect) -> tuple[str, tuple[str, ...], Processors]:
    sql = f"INSERT INTO {table.name} ({', '.join(keys)}) VALUES ({', '.join('?' for _ in keys)})"
    return sql, keys, _processors({k: table.c[k].type for k in keys}, dialect)


@lru_cache(maxsize=64)
def _qmark_compiled(statement: UpdateBase,
                    dialect: Dialect) -> tuple[str, tuple[str, ...], Processors] | None:
    compiled = statement.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    if "POSTCOMPILE" in compiled.string or dialect.paramstyle != "qmark":
        return None
    types = {name: bind.type for name, bind in compiled.binds.items()}
    return compiled.string, names, _processors(types, dialect)


def _run_pipeline(conn: Connection, writes: list[Write]) -> None:
    import psycopg  # the driver of this connection, so already loaded

    raw = conn.connection.dbapi_connection
    assert raw is not None  # an open Connection holds its DBAPI connection
    cursors = []
    try:
        with raw.pipeline():
            for w in writes:
                sql, processors = _pg_form(w, conn.dialect)
                cur = raw.cursor()
                if isinstance(w.params, list):
                    cur.executemany(sql, [_processed(p, processors) for p in w.params])
                else:
                    cur.execute(sql, _processed(w.params, processors))
                cursors.append(cur)
    except psycopg.Error as exc:  # raised as through SQLAlchemy (IntegrityError, ...), and rolled back
        statements = "; ".join(_pg_form(w, conn.dialect)[0] for w in writes)
        raise DBAPIError.instance(statements, None, exc, psycopg.Error, dialect=conn.dialect) from exc
    for w, cur in zip(writes, cursors, strict=True):
        if w.conflict is not None and cur.rowcount != 1:
            raise ConflictError(w.conflict)
        cur.close()


def _processed(params: dict[str, Any], processors: Processors) -> dict[str, Any]:
    """Parameters as SQLAlchemy's column types would bind them (UTC timestamps, protected JSON)."""
    out = dict(params)
    for key, process in processors.items():
        if key in out:
            out[key] = process(out[key])
    return out


def _pg_form(w: Write, dialect: Dialect) -> tuple[str, Processors]:
    if w.table is not None:
        keys = tuple(w.params[0] if isinstance(w.params, list) else w.params)
        return _pg_insert(w.table, keys, dialect)
    if w.pg is not None:
        return w.pg, {}
    return _pg_compiled(w.statement, dialect)


@lru_cache(maxsize=64)
def _insert_statement(table: Table) -> Insert:
    return table.insert()


@lru_cache(maxsize=128)
def _pg_insert(table: Table, keys: tuple[str, ...], dialect: Dialect) -> tuple[str, Processors]:
    sql = (f"INSERT INTO {table.name} ({', '.join(keys)}) "
           f"VALUES ({', '.join(f'%({k})s' for k in keys)})")
    return sql, _processors({k: table.c[k].type for k in keys}, dialect)


@lru_cache(maxsize=64)
def _pg_compiled(statement: UpdateBase, dialect: Dialect) -> tuple[str, Processors]:
    """An UPDATE or DELETE built with named bindparams, compiled once for psycopg."""
    compiled = statement.compile(dialect=dialect)
    return str(compiled), _processors({name: bind.type for name, bind in compiled.binds.items()}, dialect)


def _processors(types: dict[str, TypeEngine[Any]], dialect: Dialect) -> Processors:
    # The dialect's own implementation of each type, as SQLAlchemy binds it: a generic DateTime
    # has no processor, SQLite's renders the text format every stored timestamp has (without it
    # sqlite3 would store '2012-01-01 23:00:00' where the others hold '... 23:00:00.000000', and
    # text comparison in queries would put a moment on the wrong side of midnight).
    found = {name: t.dialect_impl(dialect).bind_processor(dialect) for name, t in types.items()}
    return {name: p for name, p in found.items() if p is not None}

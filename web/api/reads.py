"""Connections for the API's single-statement reads (token, task owner).

On PostgreSQL such a read needs no transaction: in autocommit mode it is one round trip, where a
transaction costs three (BEGIN, the SELECT, and the ROLLBACK when the connection goes back to the
pool). A completion through the API does two of these reads before its step. On SQLite the
connection is left as the engine configures it.
"""
from __future__ import annotations

from sqlalchemy.engine import Connection, Engine


def single_read(db: Engine) -> Connection:
    """A connection for one read statement (use as a context manager)."""
    conn = db.connect()
    if db.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn

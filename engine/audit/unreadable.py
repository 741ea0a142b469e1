"""A stored value the database layer cannot read back (an edit outside trede, e.g. text in a date
column on SQLite): verify names the table and the value instead of stopping on the first one."""
from __future__ import annotations

import re
from decimal import InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine.audit import projections
from engine.storage.db import cases
from engine.storage.field_crypto import DataKeyError

# What reading a malformed value raises: a date or time (fromisoformat), a number, JSON, bytes; an
# encrypted field altered or sealed with another key.
UNREADABLE = (ValueError, TypeError, InvalidOperation, DataKeyError)
_QUOTED = re.compile(r"'([^']*)'")


def explain(conn: Connection, case_id: int, statements: list[tuple[str, Any]], exc: BaseException) -> str:
    """In Dutch: which of the case's tables holds a value that cannot be read, and which value."""
    table = _failing_table(conn, case_id, statements)
    if isinstance(exc, DataKeyError):  # its message is ours, in Dutch, naming the field
        where = f" (tabel {table})" if table else ""
        return (f"{exc}{where}; de waarde is buiten trede om gewijzigd, of versleuteld met een andere "
                "sleutel dan die van deze installatie (TREDE_DATA_KEY of instance/data.keys)")
    value = _QUOTED.search(str(exc))
    what = f"de waarde {value.group(1)!r} " if value else "een waarde "
    where = f"in tabel {table} " if table else ""
    return (f"{what}{where}is niet te lezen als het type van haar kolom (datum, tijd, getal of "
            "gegevens): de rij is buiten trede om gewijzigd")


def case_number(conn: Connection, case_id: int) -> str:
    return conn.execute(select(cases.c.case_number).where(cases.c.id == case_id)).scalar() or f"#{case_id}"


def _failing_table(conn: Connection, case_id: int, statements: list[tuple[str, Any]]) -> str | None:
    number = conn.execute(select(cases.c.case_number).where(cases.c.id == case_id)).scalar()
    params = {"cid": case_id, "cnum": number}
    named = statements + projections.row_statements()
    for table, statement in named:
        try:
            conn.execute(statement, params).all()
        except UNREADABLE:
            return table
    return None

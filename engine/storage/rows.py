"""Small typed helpers for the rows the engine writes."""
from __future__ import annotations

from typing import Any

from sqlalchemy.engine import CursorResult


def inserted_id(result: CursorResult[Any]) -> int:
    """The key of the row an INSERT just wrote (every table the engine inserts into has one integer key).

    SQLAlchemy types ``inserted_primary_key`` as optional because it is empty for other statements."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the statement inserted no row")
    return int(key[0])

"""Compare a stored projection with the one rebuilt from the events, naming every row that differs.

A projection is a table whose rows follow from a case's chained events (worklist rows, instances,
deadlines, beschikkingen…). The verifier rebuilds the expected rows by key and this module says,
per row, what differs: the table, the key, the column, stored vs expected, in Dutch.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

# Enough to name the problem; a table edited wholesale is not listed row by row without end.
MAX_NAMED = 20


@dataclass(frozen=True)
class Difference:
    """One stored row that does not follow from the history (column None: the whole row)."""
    table: str
    key: Any
    column: str | None
    stored: str
    expected: str
    text: str
    seq: int | None = None  # the event that set the expected value, when there is one


def differences(table: str, expected: Mapping[Any, Mapping[str, Any]],
                stored: Mapping[Any, Mapping[str, Any]]) -> list[Difference]:
    """One difference per row that is missing, extra, or has a column that differs."""
    found: list[Difference] = []
    for key in sorted(set(expected) | set(stored), key=str):
        if key not in stored:
            found.append(Difference(table, key, None, "ontbreekt", "aanwezig",
                                    f"{table} {key}: ontbreekt (de historie legt deze rij vast)"))
        elif key not in expected:
            found.append(Difference(
                table, key, None, "aanwezig", "ontbreekt",
                f"{table} {key}: staat niet in de historie (rij buiten trede om toegevoegd)"))
        else:
            want, have = expected[key], stored[key]
            for column, value in want.items():
                if not same(have.get(column), value):
                    was, should = show(have.get(column)), show(value)
                    found.append(Difference(table, key, column, was, should,
                                            f"{table} {key}, kolom {column}: opgeslagen {was}, "
                                            f"volgens de historie {should}"))
        if len(found) >= MAX_NAMED:
            found.append(Difference(table, "…", None, "", "", f"{table}: en meer"))
            break
    return found


def same(stored: Any, expected: Any) -> bool:
    """Equal as values: a date stored as a datetime at midnight is the same date."""
    if stored == expected:
        return True
    if isinstance(stored, datetime) and isinstance(expected, date) and not isinstance(expected, datetime):
        return stored.date() == expected
    return False


def show(value: Any) -> str:
    if value is None:
        return "leeg"
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC)  # both sides in one zone: a streefdatum is computed in Amsterdam's
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return repr(value)

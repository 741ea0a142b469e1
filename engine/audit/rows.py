"""Compare a stored projection with the one rebuilt from the events, naming every row that differs.

A projection is a table whose rows follow from a case's chained events (worklist rows, instances,
deadlines, beschikkingen…). The verifier rebuilds the expected rows by key and this module says,
per row, what differs: the table, the key, the column, stored vs expected, in Dutch.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Enough to name the problem; a table edited wholesale is not listed row by row without end.
MAX_NAMED = 20


def differences(table: str, expected: Mapping[Any, Mapping[str, Any]],
                stored: Mapping[Any, Mapping[str, Any]]) -> list[str]:
    """One Dutch line per row that is missing, extra, or has a column that differs."""
    found: list[str] = []
    for key in sorted(set(expected) | set(stored), key=str):
        if key not in stored:
            found.append(f"{table} {key}: ontbreekt (de historie legt deze rij vast)")
        elif key not in expected:
            found.append(f"{table} {key}: staat niet in de historie (rij toegevoegd)")
        else:
            want, have = expected[key], stored[key]
            for column, value in want.items():
                if have.get(column) != value:
                    found.append(f"{table} {key}, kolom {column}: opgeslagen {show(have.get(column))}, "
                                 f"volgens de historie {show(value)}")
        if len(found) >= MAX_NAMED:
            found.append(f"{table}: en meer")
            break
    return found


def show(value: Any) -> str:
    if value is None:
        return "leeg"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)

"""Which field of an edited event was changed, and from what, where the rest of the chain tells.

An edited event no longer hashes to what it carries. The hash cannot be inverted, but most fields
of an event repeat elsewhere in its case: the kinds the engine writes, the case's instances, the
actors and task names of its other events. Trying those values one field at a time finds the
original when the edit changed one such field: "task_name: opgeslagen 'X', oorspronkelijk 'Y'".
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.audit.journal import row_hash

# Bounded: a case has a few dozen actors, kinds and instances; never more candidates than this.
_MAX_CANDIDATES = 400


def candidates(rows: list[dict[str, Any]], case_id: int, known_kinds: Iterable[str]) -> dict[str, list[Any]]:
    """Values each field could have had, taken from the case's other events."""
    def seen(column: str) -> list[Any]:
        return list(dict.fromkeys(r[column] for r in rows))
    return {
        "kind": list(dict.fromkeys([*known_kinds, *seen("kind")])),
        "actor": seen("actor"),
        "instance_id": [*seen("instance_id"), None],
        "task_name": [*seen("task_name"), None],
        "task_id": [*seen("task_id"), None],
        "case_id": [case_id],
        "at": seen("at"),
    }


def pinpoint(prev_hash: str, row: dict[str, Any], hash_format: int,
             options: dict[str, list[Any]]) -> str | None:
    """``"veld: opgeslagen …, oorspronkelijk …"`` when one field's edit explains the broken hash."""
    tried = 0
    for column, values in options.items():
        for value in values:
            if value == row[column]:
                continue
            tried += 1
            if tried > _MAX_CANDIDATES:
                return None
            if row_hash(prev_hash, {**row, column: value}, hash_format) == row["hash"]:
                return f"{column}: opgeslagen {_show(row[column])}, oorspronkelijk {_show(value)}"
    return None


def _show(value: Any) -> str:
    if value is None:
        return "leeg"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return repr(value)

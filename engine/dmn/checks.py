"""What a decision table must satisfy before it may run: refused at validation, never run."""
from __future__ import annotations

from collections.abc import Iterator

from engine.dmn.hit_policy import refusal
from engine.dmn.table import TableSpec


def table_problems(table: TableSpec) -> Iterator[tuple[int | None, str]]:
    """(line, Dutch message) for each construct of ``table`` that trede cannot run faithfully."""
    why = refusal(table.hit_policy, table.aggregation, table.output_columns())
    if why is not None:
        yield table.line, f"beslistabel {table.id or table.decision_id}: {why}"

"""Projections: tables whose rows follow from a case's chained events, rebuilt and compared by verify.

A fact with legal or financial weight (a beschikking, a deadline, a document, the case's closure…)
is written as an event of its case in the same transaction as its row. The row is then a
projection: ``verify`` folds the case's events into the rows they imply and names every stored row
that differs (table, key, column, stored vs expected, and the event that set the value). Each
package registers the projections of its own tables (the engine knows none above it), as it
registers its retention hooks.

A projection maps an event kind to ``(key, {column: value})``; later events overwrite earlier values
per column. Columns an old event did not record are simply not compared: databases written before
a payload carried a value still verify.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.engine import Connection

from engine.audit.row_differences import Difference, differences
from engine.storage.state import data_from_json

# (payload, event row) -> (row key, the values the event implies), a list of them (one event, many
# rows), or None: nothing for this table
Fold = Callable[[Mapping[str, Any], Mapping[str, Any]],
                "tuple[Any, dict[str, Any]] | list[tuple[Any, dict[str, Any]]] | None"]
# (connection, the stored rows by key) -> findings beyond the columns (e.g. a document's bytes)
Extra = Callable[[Connection, Mapping[Any, Mapping[str, Any]]], list[Difference]]


@dataclass(frozen=True)
class Projection:
    table: Table
    kinds: Mapping[str, Fold]
    key: str = "id"
    case_column: str = "case_id"
    # Rows without an event are reported; with ``created_column``, only rows created since the
    # case's first format-2 event (before, the table was written without events of its own).
    created_column: str | None = None
    extra: Extra | None = None
    skip_columns: frozenset[str] = field(default_factory=frozenset)  # not read (large blobs)
    # Columns computed from a stored row, compared like stored ones (e.g. the hash of a note's text,
    # which its event records instead of the text).
    derived: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    # The case's own row (the verifier has read it already): no query of its own.
    is_case_row: bool = False
    # Which stored rows belong to the case, when not ``case_column == case id``: a WHERE clause
    # with the bind parameters ``cid`` (the case's id) and/or ``cnum`` (its case number), e.g. a
    # destruction list found through its items.
    case_filter: Callable[[], Any] | None = None
    # The columns read, when not the table's own (e.g. with a column of a joined table).
    columns: Callable[[], list[Any]] | None = None
    # Columns that repeat the case's own (e.g. its gemeente, which decides who sees the row): every
    # row the events imply holds the case's value.
    from_case: tuple[str, ...] = ()
    # For a table found by ``case_filter``: its rows for many cases at once, a statement with the
    # expanding bind parameter ``cnums`` (case numbers) that labels each row's case number
    # ``case_of_row`` (``prefetch``: one query per batch instead of one per case).
    batch_rows: Callable[[], Any] | None = None

    def belongs(self) -> Any:
        if self.case_filter is not None:
            return self.case_filter()
        return self.table.c[self.case_column] == bindparam("cid")


_registered: dict[str, Projection] = {}


def register(projection: Projection) -> None:
    """Called once at import by the package that owns the table (idempotent)."""
    _registered[projection.table.name] = projection
    _statements.clear()


def registered() -> list[Projection]:
    return list(_registered.values())


# Built once (statement construction dominates a small read on SQLite): the rows of each
# projection of a case, and how many rows each table holds for it, in one round trip.
_statements: dict[str, Any] = {}


def _rows_statement(projection: Projection) -> Any:
    found = _statements.get(projection.table.name)
    if found is None:
        columns = (projection.columns() if projection.columns is not None
                   else [c for c in projection.table.c if c.name not in projection.skip_columns])
        found = _statements[projection.table.name] = select(*columns).where(projection.belongs())
    return found


def row_statements() -> list[tuple[str, Any]]:
    """Each registered table with the statement that reads a case's rows of it."""
    return [(name, _rows_statement(p)) for name, p in _registered.items() if not p.is_case_row]


def _counts_statement(skip: frozenset[str] = frozenset()) -> Any:
    """How many rows each projected table holds for a case (``skip``: tables already read)."""
    cache_key = "\0".join(sorted(skip))  # "" for all tables
    found = _statements.get(cache_key)
    if found is None:
        found = _statements[cache_key] = select(*[
            select(func.count()).select_from(p.table).where(p.belongs()).scalar_subquery().label(name)
            for name, p in _registered.items() if not p.is_case_row and name not in skip])
    return found


def _batchable(projection: Projection) -> bool:
    """Rows found by the case's id in their own table: one query reads them for many cases."""
    return not projection.is_case_row and projection.case_filter is None and projection.columns is None


def _batch_rows_statement(projection: Projection) -> Any:
    found = _statements.get(f"batch:{projection.table.name}")
    if found is None:
        found = _statements[f"batch:{projection.table.name}"] = select(
            *_rows_statement(projection).selected_columns).where(
                projection.table.c[projection.case_column].in_(bindparam("ids", expanding=True)))
    return found


# table -> case id -> the case's stored rows by key (``prefetch``)
Prefetched = dict[str, dict[Any, dict[Any, Mapping[str, Any]]]]


BATCH_CASE = "case_of_row"  # the label of a row's case number in a ``batch_rows`` statement


def prefetch(conn: Connection, numbers: Mapping[int, str]) -> Prefetched:
    """The stored rows of many cases (``numbers``: case id -> case number) for every projection:
    one query per table instead of one per case and table (``trede verify --all``, issue 16 item 5)."""
    found: Prefetched = {}
    case_ids, by_number = list(numbers), {number: cid for cid, number in numbers.items()}
    for name, projection in _registered.items():
        if projection.is_case_row:
            continue
        per_case: dict[Any, dict[Any, Mapping[str, Any]]] = {cid: {} for cid in case_ids}
        if _batchable(projection):
            for r in conn.execute(_batch_rows_statement(projection), {"ids": case_ids}).mappings():
                row = dict(r)
                per_case[row[projection.case_column]][row[projection.key]] = row
        elif projection.batch_rows is not None:
            statement = _statements.get(f"batch_rows:{name}")
            if statement is None:
                statement = _statements[f"batch_rows:{name}"] = projection.batch_rows()
            for r in conn.execute(statement, {"cnums": list(by_number)}).mappings():
                row = dict(r)
                per_case[by_number[row.pop(BATCH_CASE)]][row[projection.key]] = row
        else:
            continue
        found[name] = per_case
    return found


def kinds() -> frozenset[str]:
    return frozenset(kind for p in _registered.values() for kind in p.kinds)


def check(conn: Connection, case: Mapping[str, Any], events: list[dict[str, Any]], since: Any = None,
          prefetched: Prefetched | None = None) -> list[Difference]:
    """Every difference between the stored projections of ``case`` and its events, with the event
    (seq) that set the expected value when there is one. ``since``: when the case's events began to
    be written in format 2 (None: never). ``prefetched``: rows already read (``prefetch``), in the
    same snapshot."""
    relevant = kinds()
    payloads = {e["seq"]: data_from_json(e["payload"]) for e in events if e["kind"] in relevant}
    params = {"cid": case["id"], "cnum": case["case_number"]}
    read = frozenset(prefetched or ())
    counted = [name for name, p in _registered.items() if not p.is_case_row and name not in read]
    counts = conn.execute(_counts_statement(read), params).mappings().one() if counted else {}
    found: list[Difference] = []
    for name, projection in _registered.items():
        expected, source = _fold(projection, events, payloads)
        for values in expected.values():
            values.update({column: case[column] for column in projection.from_case})
        if projection.is_case_row:
            stored: dict[Any, Mapping[str, Any]] = {case["id"]: case}
        elif prefetched is not None and name in prefetched:
            stored = prefetched[name].get(case["id"], {})
            if not expected and not stored:
                continue
        elif not expected and not counts[name]:
            continue  # nothing recorded, nothing stored
        else:
            stored = {r[projection.key]: dict(r) for r in conn.execute(
                _rows_statement(projection), params).mappings()}
        if projection.derived is not None:
            stored = {k: {**row, **projection.derived(row)} for k, row in stored.items()}
        if projection.created_column is not None:
            column = projection.created_column
            stored = {k: v for k, v in stored.items()
                      if k in expected or (since is not None and v[column] >= since)}
        for difference in differences(projection.table.name, expected, stored):
            found.append(replace(difference, seq=source.get(difference.key)))
        if projection.extra is not None:
            found.extend(projection.extra(conn, stored))
    return found


def _fold(projection: Projection, events: list[dict[str, Any]], payloads: dict[int, Mapping[str, Any]]
          ) -> tuple[dict[Any, dict[str, Any]], dict[Any, int]]:
    expected: dict[Any, dict[str, Any]] = {}
    source: dict[Any, int] = {}
    for event in events:
        fold = projection.kinds.get(event["kind"])
        if fold is None:
            continue
        implied = fold(payloads[event["seq"]], event)
        if implied is None:
            continue
        for key, values in implied if isinstance(implied, list) else [implied]:
            expected.setdefault(key, {}).update(values)
            source[key] = event["seq"]
    return expected, source

"""Re-encrypting stored protected fields under the current data key (rotation, first encryption).

Every column typed ``ProtectedJSON`` is found in the metadata, so a table that starts holding
protected JSON is rotated without changes here. A row is rewritten only when it holds a value
under an older key or a protected field still in plaintext (data written before the field was
listed); the write is conditional on the stored text being unchanged, so a step that updated the
row meanwhile is never overwritten. Hashes are computed over the plaintext: the chain and seals
stay valid.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Table, select, type_coerce, update
from sqlalchemy.engine import Engine
from sqlalchemy.types import Text

from engine import field_crypto
from engine.db import metadata

BATCH = 500


@dataclass
class Rewrap:
    rewritten: Counter = field(default_factory=Counter)  # "table.column" -> rows rewritten
    skipped_busy: int = 0  # rows changed by a step meanwhile (already under the current key)


def protected_columns() -> list[tuple[Table, str]]:
    return [(table, column.name) for table in metadata.sorted_tables for column in table.columns
            if isinstance(column.type, field_crypto.ProtectedJSON)]


def key_usage(db: Engine) -> Counter:
    """How many stored values each key id protects, plus 'plaintext' rows that still need it."""
    cipher, usage = field_crypto.active(), Counter()
    for table, name in protected_columns():
        for _, raw in _raw_rows(db, table, name):
            usage.update(cipher.key_ids(raw))
            if cipher.has_plaintext(raw):
                usage["plaintext"] += 1
    return usage


def reencrypt_all(db: Engine) -> Rewrap:
    cipher, result = field_crypto.active(), Rewrap()
    current = cipher.keyring.current
    for table, name in protected_columns():
        label = f"{table.name}.{name}"
        pk = table.primary_key.columns.values()[0]
        raw_col = type_coerce(table.c[name], Text)
        for key, raw in _raw_rows(db, table, name):
            if not (cipher.key_ids(raw) - {current}) and not cipher.has_plaintext(raw):
                continue
            with db.begin() as conn:
                done = conn.execute(update(table).where(pk == key, raw_col == raw)
                                    .values({name: cipher.reveal_text(raw)}))
            if done.rowcount == 1:
                result.rewritten[label] += 1
            else:
                result.skipped_busy += 1
    return result


def _raw_rows(db: Engine, table: Table, name: str):
    pk = table.primary_key.columns.values()[0]
    raw_col = type_coerce(table.c[name], Text)
    last = None
    while True:
        query = select(pk, raw_col).order_by(pk).limit(BATCH)
        if last is not None:
            query = query.where(pk > last)
        with db.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]

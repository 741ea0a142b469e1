"""Re-encrypting stored protected values under the current data key (rotation, first encryption).

Every column typed ``ProtectedJSON``, ``ProtectedText`` or ``ProtectedBlob`` is found in the
metadata of the engine and of every package that registered its tables (engine.storage.db.register_tables),
so a table that starts holding protected data is rotated without changes here. A row
is rewritten only when it holds a value under an older key or still in plaintext (written before
the field was listed, before documents or notes were encrypted); the write is conditional on the
stored value being unchanged, so a step that updated the row meanwhile is never overwritten. Hashes
are computed over the plaintext: the chain and seals stay valid.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, select, type_coerce, update
from sqlalchemy.engine import Engine, Row
from sqlalchemy.types import LargeBinary, Text, TypeEngine

from engine.storage import field_crypto
from engine.storage.db import registered_tables

BATCH = 500


@dataclass
class Rewrap:
    rewritten: Counter[str] = field(default_factory=Counter)  # "table.column" -> rows rewritten
    skipped_busy: int = 0  # rows changed by a step meanwhile (already under the current key)


_PROTECTED = field_crypto.ProtectedJSON | field_crypto.ProtectedText | field_crypto.ProtectedBlob


def protected_columns() -> list[tuple[Table, str]]:
    return [(table, column.name) for table in registered_tables() for column in table.columns
            if isinstance(column.type, _PROTECTED)]


def key_usage(db: Engine) -> Counter[str]:
    """How many stored values each key id protects, plus 'plaintext' rows that still need it."""
    cipher, usage = field_crypto.cipher_of(db), Counter[str]()
    for table, name in protected_columns():
        kind = _Kind(table, name, cipher)
        for _, raw in _raw_rows(db, table, name, kind.raw_type):
            usage.update(kind.key_ids(raw))
            if kind.plaintext(raw):
                usage["plaintext"] += 1
    return usage


def reencrypt_all(db: Engine) -> Rewrap:
    cipher, result = field_crypto.cipher_of(db), Rewrap()
    current = cipher.keyring.current
    for table, name in protected_columns():
        kind, label = _Kind(table, name, cipher), f"{table.name}.{name}"
        pk = table.primary_key.columns.values()[0]
        raw_col = type_coerce(table.c[name], kind.raw_type)
        for key, raw in _raw_rows(db, table, name, kind.raw_type):
            if not (kind.key_ids(raw) - {current}) and not kind.plaintext(raw):
                continue
            with db.begin() as conn:  # the column type encrypts the plaintext under the current key
                done = conn.execute(update(table).where(pk == key, raw_col == raw)
                                    .values({name: kind.reveal(raw)}))
            if done.rowcount == 1:
                result.rewritten[label] += 1
            else:
                result.skipped_busy += 1
    return result


class _Kind:
    """What the stored value of a protected column looks like: JSON with sealed fields, a text
    sealed as a whole, or a blob.

    A raw value is what the column holds without its type's decryption: text (``str``) for JSON
    and whole texts, ``bytes`` for a blob, or None; typed ``Any`` because the kind decides which.
    """

    def __init__(self, table: Table, name: str, cipher: field_crypto.FieldCipher) -> None:
        self.type = table.c[name].type
        self.blob = isinstance(self.type, field_crypto.ProtectedBlob)
        self.whole = isinstance(self.type, field_crypto.ProtectedText)
        self.raw_type: type[TypeEngine[Any]] = LargeBinary if self.blob else Text
        self.cipher = cipher

    def key_ids(self, raw: Any) -> set[str]:
        if self.blob or self.whole:
            kid = field_crypto.blob_key_id(raw) if self.blob else field_crypto.whole_key_id(raw)
            return {kid} if kid else set()
        return self.cipher.key_ids(raw)

    def plaintext(self, raw: Any) -> bool:
        if self.blob:
            return raw is not None and field_crypto.blob_key_id(raw) is None
        if self.whole:
            return raw is not None and field_crypto.whole_key_id(raw) is None
        return self.cipher.has_plaintext(raw)

    def reveal(self, raw: Any) -> str | bytes | None:
        if self.blob:
            return field_crypto.reveal_blob(raw, self.cipher)
        if self.whole:
            return self.cipher.reveal_whole(cast(field_crypto.ProtectedText, self.type).label, raw)
        return self.cipher.reveal_text(raw)


def _raw_rows(db: Engine, table: Table, name: str,
              raw_type: type[TypeEngine[Any]]) -> Iterator[Row[Any, Any]]:  # (key, raw value)
    pk = table.primary_key.columns.values()[0]
    raw_col = type_coerce(table.c[name], raw_type)
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

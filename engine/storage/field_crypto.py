"""Named fields of stored JSON encrypted at rest (AES-256-GCM), with key rotation by key id.

The engine does not know which fields are sensitive: the application names them (``configure``),
and every column typed ``ProtectedJSON`` encrypts the values of those keys, at any depth, on the
way into the database and decrypts them on the way out. Code above the database sees plaintext
JSON text that is byte-for-byte what the engine serialized, so state hashes and the event chain
are computed over the plaintext, replay compares plaintext and ``trede verify`` works unchanged;
re-encrypting under a new key (rotation) leaves every hash and seal valid.

An encrypted value is stored as ``{"$trede-enc": "<key id>.<base64 nonce+ciphertext>"}``; the
field name is the associated data, so a ciphertext cannot be moved to another field unnoticed.

Keys come from the settings (TREDE_DATA_KEY, ``id:hex64[,id:hex64...]``, the first one encrypts)
or from a key file (default ``instance/data.keys``, JSON ``{"current": id, "keys": {id: hex64}}``),
created on first use, readable by the owner only (``KeySource``). Keep it apart from database
backups: without it the protected values are unreadable (which is also how they can be shredded).

Each database engine holds its own cipher (``attach``, done by ``engine.storage.db.make_db_engine``): the
column types find it through the SQLAlchemy dialect they are given, so two engines in one process
(the app and a test, or two key rings during rotation) never share a module-wide cipher.
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Table
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.types import LargeBinary, Text, TypeDecorator

from engine.storage.key_files import write_key_file

MARKER = "$trede-enc"
DEFAULT_KEY_FILE = Path("instance") / "data.keys"
_MARKER_JSON = json.dumps(MARKER)


class DataKeyError(RuntimeError):
    """A protected value cannot be read: its key is missing or it was altered."""


@dataclass(frozen=True)
class KeyRing:
    current: str
    keys: dict[str, bytes]

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise ValueError(f"data key {self.current!r} is not in the key ring")
        for kid, key in self.keys.items():
            if len(key) != 32 or not kid or "." in kid:
                raise ValueError(f"data key {kid!r}: needs an id without '.' and 32 bytes (64 hex)")


def parse_env_keys(text: str) -> KeyRing:
    pairs = [part.strip().split(":", 1) for part in text.split(",") if part.strip()]
    if not pairs or any(len(p) != 2 for p in pairs):
        raise ValueError("TREDE_DATA_KEY must look like 'id:hex64[,id:hex64...]'")
    return KeyRing(pairs[0][0], {kid: bytes.fromhex(hexkey) for kid, hexkey in pairs})


@dataclass(frozen=True)
class KeySource:
    """Where the data keys come from: a key ring given whole (TREDE_DATA_KEY), else the key file."""

    keyring: KeyRing | None = None
    key_file: Path = DEFAULT_KEY_FILE

    def load(self) -> KeyRing:
        if self.keyring is not None:
            return self.keyring
        if not self.key_file.exists():
            _write_key_file(self.key_file, {"current": "k1", "keys": {"k1": secrets.token_hex(32)}},
                            create=True)
        raw = json.loads(self.key_file.read_text())
        return KeyRing(raw["current"], {kid: bytes.fromhex(h) for kid, h in raw["keys"].items()})

    def add_key(self) -> str:
        """Rotation, step 1: a new key in the key file becomes the current one; returns its id."""
        if self.keyring is not None:
            raise ValueError("the data keys come from TREDE_DATA_KEY: put the new key first there")
        ring = self.load()
        number = 1 + max((int(k[1:]) for k in ring.keys if k[1:].isdigit()), default=0)
        kid = f"k{number}"
        keys = {k: v.hex() for k, v in ring.keys.items()} | {kid: secrets.token_hex(32)}
        _write_key_file(self.key_file, {"current": kid, "keys": keys}, create=False)
        return kid


def _write_key_file(path: Path, content: dict[str, Any], *, create: bool) -> None:
    write_key_file(path, json.dumps(content), create=create)


class FieldCipher:
    def __init__(self, fields: Iterable[str], keyring: KeyRing | None = None,
                 source: KeySource | None = None) -> None:
        self.fields = frozenset(fields)
        self._keyring = keyring
        self.source = source or KeySource()
        self._probes = tuple(json.dumps(name) + ":" for name in self.fields)
        self._lock = threading.Lock()
        self._aead: dict[str, AESGCM] = {}  # one per key id: building one costs more than a value

    @property
    def keyring(self) -> KeyRing:
        if self._keyring is None:
            with self._lock:
                if self._keyring is None:
                    self._keyring = self.source.load()
        return self._keyring

    def protect_text(self, text: str | None) -> str | None:
        """JSON text with the values of the named fields encrypted (unchanged if none occur)."""
        if text is None or not any(probe in text for probe in self._probes):
            return text
        return _dump(self._walk(json.loads(text), self._encrypt))

    def reveal_text(self, text: str | None) -> str | None:
        if text is None or _MARKER_JSON not in text:
            return text
        return _dump(self._walk(json.loads(text), self._decrypt))

    def _walk(self, value: Any, apply: Callable[[str, Any], Any]) -> Any:
        if isinstance(value, dict):
            if len(value) == 1 and MARKER in value:
                return value
            return {k: (apply(k, v) if k in self.fields or _is_sealed(v) else self._walk(v, apply))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, apply) for v in value]
        return value

    def _encrypt(self, name: str, value: Any) -> Any:
        if value is None or _is_sealed(value):
            return value
        ring = self.keyring
        nonce = secrets.token_bytes(12)
        plain = _dump(value).encode("utf-8")
        sealed = self._cipher(ring.current).encrypt(nonce, plain, name.encode("utf-8"))
        return {MARKER: f"{ring.current}.{base64.b64encode(nonce + sealed).decode('ascii')}"}

    def _decrypt(self, name: str, value: Any) -> Any:
        if not _is_sealed(value):
            return self._walk(value, self._decrypt)
        kid, _, body = value[MARKER].partition(".")
        if kid not in self.keyring.keys:
            raise DataKeyError(f"sleutel {kid!r} voor versleutelde gegevens ontbreekt")
        blob = base64.b64decode(body)
        try:
            plain = self._cipher(kid).decrypt(blob[:12], blob[12:], name.encode("utf-8"))
        except Exception as exc:  # InvalidTag: altered, moved or wrong key
            raise DataKeyError(
                f"versleuteld veld {name!r} is gewijzigd of hoort bij een andere sleutel") from exc
        return json.loads(plain)

    def _cipher(self, kid: str) -> AESGCM:
        aead = self._aead.get(kid)
        if aead is None:
            aead = self._aead[kid] = AESGCM(self.keyring.keys[kid])
        return aead

    def protect_whole(self, label: str, text: str | None) -> str | None:
        """A free text encrypted as a whole; ``label`` (table.column) is the associated data."""
        if text is None or whole_key_id(text) is not None:
            return text
        return _dump(self._encrypt(label, text))

    def reveal_whole(self, label: str, text: str | None) -> str | None:
        if text is None or whole_key_id(text) is None:
            return text  # written before the column was encrypted
        revealed: str = self._decrypt(label, json.loads(text))  # the text that protect_whole sealed
        return revealed

    def key_ids(self, text: str | None) -> set[str]:
        """The key ids used in a stored text (for rotation reports)."""
        if text is None or _MARKER_JSON not in text:
            return set()
        found: set[str] = set()

        def note(_name: str, value: Any) -> Any:
            if _is_sealed(value):
                found.add(value[MARKER].partition(".")[0])
            return value

        self._walk(json.loads(text), note)
        return found


    def has_plaintext(self, text: str | None) -> bool:
        """Whether a stored text still holds a protected field unencrypted (written before)."""
        if text is None or not any(probe in text for probe in self._probes):
            return False
        found: list[str] = []

        def note(name: str, value: Any) -> Any:
            if name in self.fields and value is not None and not _is_sealed(value):
                found.append(name)
            return value

        self._walk(json.loads(text), note)
        return bool(found)


def whole_key_id(text: str | None) -> str | None:
    """The key id of a text encrypted as a whole (``protect_whole``); None for plaintext."""
    if text is None or not text.startswith("{" + _MARKER_JSON + ":"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value[MARKER].partition(".")[0] if _is_sealed(value) else None


def _is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(MARKER), str)


def _dump(value: Any) -> str:
    # The engine's own JSON form (engine.storage.state): compact separators, ASCII escapes, key order kept.
    return json.dumps(value, separators=(",", ":"))


_ATTRIBUTE = "trede_field_cipher"


def attach(db: Engine, cipher: FieldCipher) -> FieldCipher:
    """Make ``cipher`` the one the protected columns use on every connection of ``db``."""
    setattr(db.dialect, _ATTRIBUTE, cipher)
    return cipher


def cipher_of(db_or_dialect: Engine | Dialect) -> FieldCipher:
    """The cipher of an engine (or of the dialect a column type is given). An engine built
    without one (plain ``create_engine``) gets the engine's default: no named fields, and the
    key file under ``instance/`` for notes and documents, which are always encrypted."""
    dialect = getattr(db_or_dialect, "dialect", db_or_dialect)
    cipher = getattr(dialect, _ATTRIBUTE, None)
    if cipher is None:
        cipher = FieldCipher(())
        setattr(dialect, _ATTRIBUTE, cipher)
    return cipher


BLOB_MAGIC = b"\x00trede-enc1\x00"  # no upload starts with a NUL byte (PDF, PNG, JPEG, text)
_BLOB_AAD = b"trede-blob"


def protect_blob(value: bytes | None, cipher: FieldCipher) -> bytes | None:
    """A whole binary value (an uploaded document) encrypted: magic, key id, NUL, nonce, ciphertext."""
    if value is None or value.startswith(BLOB_MAGIC):
        return value
    kid = cipher.keyring.current
    nonce = secrets.token_bytes(12)
    return BLOB_MAGIC + kid.encode("ascii") + b"\x00" + nonce + cipher._cipher(kid).encrypt(
        nonce, bytes(value), _BLOB_AAD)


def reveal_blob(value: bytes | None, cipher: FieldCipher) -> bytes | None:
    if value is None or not bytes(value[:len(BLOB_MAGIC)]) == BLOB_MAGIC:
        return value  # stored before documents were encrypted
    kid = blob_key_id(value)
    assert kid is not None  # the value starts with BLOB_MAGIC
    rest = bytes(value[len(BLOB_MAGIC) + len(kid) + 1:])
    if kid not in cipher.keyring.keys:
        raise DataKeyError(f"sleutel {kid!r} voor een versleuteld document ontbreekt")
    try:
        return cipher._cipher(kid).decrypt(rest[:12], rest[12:], _BLOB_AAD)
    except Exception as exc:  # InvalidTag
        raise DataKeyError("een versleuteld document is gewijzigd of hoort bij een andere sleutel") from exc


def blob_key_id(value: bytes | None) -> str | None:
    if value is None or not bytes(value[:len(BLOB_MAGIC)]) == BLOB_MAGIC:
        return None
    head = bytes(value[len(BLOB_MAGIC):len(BLOB_MAGIC) + 64])
    return head.split(b"\x00", 1)[0].decode("ascii")


class ProtectedBlob(TypeDecorator[bytes]):
    """A binary column stored encrypted as a whole (AES-256-GCM, same key ring, rotation by key id)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return protect_blob(value, cipher_of(dialect))

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return reveal_blob(value, cipher_of(dialect))


def protect_params(table: Table, params: dict[str, Any], cipher: FieldCipher) -> dict[str, Any]:
    """For writes that bypass SQLAlchemy's column types (a raw driver pipeline): the ProtectedJSON
    columns of ``table`` among ``params`` encrypted as the column type would (idempotent)."""
    out = dict(params)
    for key, value in params.items():
        column = table.c.get(key)
        if column is not None and isinstance(column.type, ProtectedJSON):
            out[key] = cipher.protect_text(value)
        elif column is not None and isinstance(column.type, ProtectedBlob):
            out[key] = protect_blob(value, cipher)
    return out


class ProtectedJSON(TypeDecorator[str]):
    """A Text column holding JSON whose configured fields are encrypted in the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return cipher_of(dialect).protect_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return cipher_of(dialect).reveal_text(value)


class ProtectedText(TypeDecorator[str]):
    """A free-text column (case notes) stored encrypted as a whole, under the same key ring.

    Free text is where a case manager writes what the form has no field for, health included;
    it is never searched in the database, so nothing is lost by encrypting all of it.
    """

    impl = Text
    cache_ok = True

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return cipher_of(dialect).protect_whole(self.label, value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return cipher_of(dialect).reveal_whole(self.label, value)

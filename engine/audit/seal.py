"""Seals on the head of each case's event chain, with a key kept outside the database.

Someone who can write the database can recompute every hash of a chain after editing it; they
cannot recompute the seal without the key. The key comes from the settings (TREDE_SEAL_KEY, hex)
or from a file (default ``instance/seal.key``, created on first use, readable by the owner only).
"""
from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from engine.storage.key_files import read_or_create_hex_key

DEFAULT_KEY_FILE = Path("instance") / "seal.key"


class Sealer:
    """``case_id`` names what is sealed: a case id, or a text that can never equal one (the
    processing log's chain per gemeente, engine.audit.log_chain)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the seal key must be at least 16 bytes")
        self._key = key

    def seal(self, case_id: int | str, event_count: int, head_hash: str) -> str:
        message = f"{case_id}:{event_count}:{head_hash}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def check(self, case_id: int | str, event_count: int, head_hash: str, seal: str | None) -> bool:
        return seal is not None and hmac.compare_digest(self.seal(case_id, event_count, head_hash), seal)


def load_sealer(key_file: Path | None = None) -> Sealer:
    """The sealer whose key is in ``key_file`` (default ``instance/seal.key``), created on first use."""
    return Sealer(read_or_create_hex_key(key_file or DEFAULT_KEY_FILE))

"""Key files outside the database (seal, pseudonym and data keys), written all-or-nothing.

Several processes (gunicorn workers, `trede worker`) start at once on a fresh installation and all
look for the same key file. A file created in place is visible empty before its key is written, so
a key is written to a private temporary file first and then linked into place: a reader sees no
file or the whole key, never part of one, and the first writer's key wins.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def private_directory(path: Path) -> None:
    """``path`` exists; made here, it is its owner's only (0700): it will hold keys or the
    database. One that existed is left as it is (it may be shared on purpose)."""
    if path.exists():
        return
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # mkdir's mode passes through the umask


def write_key_file(path: Path, text: str, *, create: bool) -> None:
    """``create``: only if there is no key file yet (another process's key wins); else replace it."""
    private_directory(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")  # one per writer
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    if not create:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def read_or_create_hex_key(path: Path, n_bytes: int = 32) -> bytes:
    """The key in ``path`` (hex), created with ``n_bytes`` random bytes when the file is missing."""
    if not path.exists():
        write_key_file(path, secrets.token_hex(n_bytes), create=True)
    return bytes.fromhex(path.read_text().strip())

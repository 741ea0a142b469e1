"""The SQLite database holds BSNs: trede creates it readable by its owner only (issue 17, finding 11;
AVG art. 32, BIO 9.4.1 access to information restricted)."""
from __future__ import annotations

import os
import stat

import pytest

from cli.schema import upgrade
from engine.storage.db import make_db_engine


@pytest.fixture
def wide_umask():
    old = os.umask(0o022)  # the common default, which made the file 0644
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_file_is_the_owners_only_and_so_is_its_new_directory(tmp_path, wide_umask):
    folder = tmp_path / "instance"
    upgrade(f"sqlite:///{folder / 'trede.db'}")  # what `trede db upgrade` does on a fresh machine
    assert _mode(folder) == 0o700
    db = folder / "trede.db"
    assert _mode(db) == 0o600
    for companion in (folder / "trede.db-wal", folder / "trede.db-shm"):
        if companion.exists():  # WAL files take the database file's mode
            assert _mode(companion) & 0o077 == 0


def test_a_database_file_made_world_readable_earlier_is_narrowed(tmp_path, wide_umask):
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    shared.chmod(0o755)
    db = shared / "trede.db"
    db.touch(mode=0o644)
    engine = make_db_engine(f"sqlite:///{db}")
    with engine.connect():
        pass
    engine.dispose()
    assert _mode(db) == 0o600
    assert _mode(shared) == 0o755  # a directory that existed is left alone

"""Key files on a fresh installation: every process that starts at once gets the same whole key.

Seen in the HTTP benchmark: two gunicorn workers booting together, one created the pseudonym key
file, the other read it before the key was in it ("the pseudonym key must be at least 16 bytes")
and the server failed to boot.
"""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from engine.audit.processing_log import load_pseudonymizer
from engine.audit.seal import load_sealer

ROUNDS = 40
PROCESSES = 4


def _race(args) -> list[str]:
    kind, directory, barrier = args
    keys = []
    for n in range(ROUNDS):
        path = Path(directory) / f"{kind}-{n}.key"
        barrier.wait()
        try:
            loaded = load_sealer(path) if kind == "seal" else load_pseudonymizer(path)
            keys.append(loaded._key.hex())
        except Exception as exc:  # noqa: BLE001 - the finding is the failure itself
            keys.append(f"failed: {exc}")
    return keys


@pytest.mark.parametrize("kind", ["seal", "pseudonym"])
def test_processes_starting_together_share_one_whole_key(kind, tmp_path, monkeypatch):
    monkeypatch.delenv("TREDE_SEAL_KEY", raising=False)
    monkeypatch.delenv("TREDE_PSEUDONYM_KEY", raising=False)
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(PROCESSES)
        with ctx.Pool(PROCESSES) as pool:
            results = pool.map(_race, [(kind, str(tmp_path), barrier)] * PROCESSES)
    for n in range(ROUNDS):
        seen = {keys[n] for keys in results}
        assert len(seen) == 1 and len(next(iter(seen))) == 64, (n, seen)
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind

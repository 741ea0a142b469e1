"""Shared helpers: one decision service over the repository's rule packs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from processes.decisions import DecisionService

TREDE = Path(sys.executable).with_name("trede")


@pytest.fixture(scope="session")
def service() -> DecisionService:
    return DecisionService()


@pytest.fixture(scope="session")
def decide(service):
    """decide("Id", gemeente="...", on="YYYY-MM-DD", **inputs) -> outputs as `trede decide` prints them."""

    def run(decision_id: str, gemeente: str = "ooststellingwerf", on: str | None = None, **inputs):
        on_date = date.fromisoformat(on) if on else None
        return service.decide(decision_id, gemeente, inputs, on_date).outputs_json()

    return run


def trede(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(TREDE), *args], capture_output=True, text=True, timeout=60)


def trede_json(*args: str):
    result = trede(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)

"""The processes the benchmarks run, and an engine set up with them on a given database."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from engine.audit.seal import Sealer
from engine.clock import FixedClock
from engine.service import CaseEngine
from engine.storage.db import make_db_engine

BENCH_MODELS = Path(__file__).parent / "models"
# The engine's own test models: the intake and evaluation the four-year-old case is made of.
TEST_MODELS = Path(__file__).parent.parent / "tests" / "fixtures" / "bpmn"

KETEN = BENCH_MODELS / "keten.bpmn"
KETEN_PROCESS = "bench_keten"
GEMEENTE = "benchdorp"
START = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)

# What a case manager submits at each user task of the chain (by BPMN id). The values send the
# gateway down the "uitgebreid" branch on both sides; the script needs `uren` and `urgent`.
KETEN_DATA: dict[str, dict] = {
    "registreren": {"aanvrager": "J. Jansen", "uren": 24, "urgent": True},
    "controleren": {"gecontroleerd": True, "opmerking": "stukken compleet"},
    "uitgebreid": {"toets": "uitgebreid", "uitkomst": "voldoende"},
    "snel": {"uitkomst": "voldoende"},
    "voorbereiden": {"besluit_concept": "toekennen"},
    "besluiten": {"besluit": "toekennen", "besluit_door": "teamleider"},
    "verzenden": {"verzonden": True, "kanaal": "post"},
}
KETEN_STEPS = 6  # user tasks on the path through the chain


def bundle_files() -> dict[str, bytes]:
    paths = [KETEN, BENCH_MODELS / "plaatsing.bpmn", TEST_MODELS / "intake.bpmn",
             TEST_MODELS / "evaluatie.bpmn"]
    return {path.name: path.read_bytes() for path in paths}


def case_engine(url: str, clock: FixedClock | None = None) -> CaseEngine:
    """A CaseEngine on ``url`` (already migrated) with the benchmark bundle deployed.

    A throw-away seal key, so that a benchmark never creates or reads the real key file.
    """
    engine = CaseEngine(make_db_engine(url), clock=clock or FixedClock(START),
                        sealer=Sealer(secrets.token_bytes(32)))
    engine.deploy(bundle_files())
    return engine


def bsn(n: int) -> str:
    """A distinct 9-digit number in the test range (9999...) for the n-th benchmark client."""
    return f"9999{n:05d}"

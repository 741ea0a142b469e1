"""Shared set-up for the engine tests: a clock, an engine on the test database, the test models."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from engine.audit.seal import Sealer
from engine.clock import FixedClock
from engine.service import CaseEngine

MODELS = Path(__file__).parent.parent / "fixtures" / "bpmn"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
BSN = "999990019"  # test range (9999...), passes the elfproef


def model_files(*names: str) -> dict[str, bytes]:
    return {name: (MODELS / name).read_bytes() for name in names}


TEST_SEALER_HEX = "7472656465" * 8  # a fixed key, so that a worker in a subprocess seals alike
TEST_SEALER = Sealer(bytes.fromhex(TEST_SEALER_HEX))


def make_engine(db, clock: FixedClock | None = None, **kwargs) -> CaseEngine:
    kwargs.setdefault("sealer", TEST_SEALER)
    engine = CaseEngine(db, clock=clock or FixedClock(START), **kwargs)
    engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    return engine


def only_task(engine: CaseEngine, case_id: int):
    tasks = engine.ready_tasks(case_id=case_id)
    assert len(tasks) == 1, [t.title for t in tasks]
    return tasks[0]


def start_intake(engine: CaseEngine, data: dict, bsn: str = BSN):
    """Open a dossier in Ooststellingwerf and start the test intake in it."""
    return engine.start_case("ooststellingwerf", bsn, "Jan Jansen", "intake", data)

"""The engine's public API is importable from the package itself (issue 15): what integrations use."""
from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_public_api_comes_from_engine_itself():
    # In a fresh interpreter: inside pytest, tests/engine/ can shadow the name ``engine``.
    script = (
        "import engine\n"
        "from engine import CaseEngine, CaseWork, ConflictError, FixedClock, Transaction\n"
        "from engine.errors import ConflictError as Direct\n"
        "assert ConflictError is Direct and CaseEngine.case and CaseWork.append and Transaction.case\n"
        "missing = [n for n in engine.__all__ if getattr(engine, n, None) is None]\n"
        "assert not missing, missing\n"
        "print(len(engine.__all__))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 10


def test_the_engine_holds_its_parts_and_offers_every_operation_of_them():
    """CaseEngine is composed (deadlines, due work, closing), not a stack of mixins, and callers keep
    one entry: each public operation of a part is a CaseEngine method with the same parameters."""
    from engine.retention.closing import RetentionOps
    from engine.scheduling.deadline_ops import DeadlineOps
    from engine.scheduling.due_work import DueWorkOps
    from engine.service import CaseEngine

    assert CaseEngine.__bases__ == (object,)
    for part in (DeadlineOps, DueWorkOps, RetentionOps):
        for name, operation in vars(part).items():
            if callable(operation) and not name.startswith("_"):
                offered = inspect.signature(getattr(CaseEngine, name))
                assert list(offered.parameters) == list(inspect.signature(operation).parameters), name

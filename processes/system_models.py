"""The models trede itself relies on (deadline escalation), deployed for every gemeente."""
from __future__ import annotations

from pathlib import Path

from engine.models.validation import read_model_files
from engine.service import CaseEngine

SYSTEM_BUNDLE = Path(__file__).resolve().parent.parent / "bpmn" / "system"
# Started by trede itself, with the start data they need: never offered to start by hand.
ESCALATION = "termijn_escalatie"  # a fatale termijn passed (engine: CaseEngine.escalation_process)
HEROVERWEGING = "bezwaar_heroverweging"  # a new decision after a gegrond bezwaar (Awb 7:11)
PROCESS_IDS = frozenset({ESCALATION, HEROVERWEGING})


def load(engine: CaseEngine) -> str:
    result = engine.deploy(read_model_files([SYSTEM_BUNDLE]), actor="systeem")
    names = ", ".join(f"{v.process_id} v{v.version}" for v in result.versions)
    return f"systeemprocessen: {names}" + ("" if result.created else " (ongewijzigd)")

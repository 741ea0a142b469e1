"""Builds the case engine with this project's domain plugged in (rule packs, service handlers).

The web app, the CLI and the worker all get their engine here, so they run the same rules.
"""
from __future__ import annotations

from engine.audit.seal import Sealer
from engine.clock import Clock
from engine.runtime import ServiceHandler
from engine.service import CaseEngine
from engine.storage.db import make_db_engine
from engine.storage.field_crypto import KeySource
from processes import tables  # noqa: F401 - registers the domain's tables and retention hook


def decision_provider():
    """The gemeente rule packs, or None when they cannot be loaded (the engine runs without)."""
    try:
        from processes.decisions.service import get_decision_service
    except ImportError:
        return None
    return get_decision_service()


def domain_services() -> dict[str, ServiceHandler]:
    """Service tasks the models may call besides the engine's built-ins (start_process, deadlines)."""
    from processes.aow import aow_service
    from processes.beschikking import beschikking_service
    from processes.ledger import ledger_line_service
    return {"ledger_line": ledger_line_service, "beschikking": beschikking_service,
            "aow_leeftijd": aow_service}


def build_case_engine(database_url: str | None = None, clock: Clock | None = None, *,
                      sealer: Sealer | None = None, data_keys: KeySource | None = None,
                      max_state_bytes: int = 0) -> CaseEngine:
    """The engine on ``database_url``; the keys and the cap on a process instance's stored state
    come from the caller's settings (None: the engine's default key files under instance/)."""
    from processes.special_category import cipher
    from processes.system_models import ESCALATION
    # health data fields encrypted at rest from the first write on, with this engine's keys
    db = make_db_engine(database_url, cipher=cipher(data_keys))
    return CaseEngine(db, clock=clock, decisions=decision_provider(), services=domain_services(),
                      escalation_process=ESCALATION, sealer=sealer, max_state_bytes=max_state_bytes)

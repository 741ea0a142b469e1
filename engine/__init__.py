"""Generic case engine: SpiffWorkflow wrapped with persistence, timers, messages and replay.

It knows no municipality's rules: rule packs and service-task handlers plug in from ``processes``.
What it does assume (README, "What the engine assumes"): Dutch legal terms (Algemene termijnenwet),
a client identified by a BSN, and the register of processing activities in ``audit/processing_log``.

The public API is what this package exports (below); everything else is the engine's own, and no
module outside ``engine/`` uses an underscore name of it (``tests/test_layers.py``). Changes to a
case go through ``CaseEngine``'s operations or its unit of work (``engine.unit_of_work``)::

    with case_engine.case(case_id, expected_version=v) as c:   # locked; committed once
        c.append("document_added", actor, {...})
        c.start_process("heroverweging", data, actor)
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> (module, attribute): loaded on first use, so ``import engine.storage.db`` stays light and no
# module of the engine has to import the whole engine (no import cycles).
_EXPORTS = {
    "CaseEngine": ("engine.service", "CaseEngine"),
    "WorkItem": ("engine.service", "WorkItem"),
    "Incident": ("engine.scheduling.incidents", "Incident"),
    "CaseRef": ("engine.steps", "CaseRef"),
    "Transaction": ("engine.unit_of_work", "Transaction"),
    "CaseWork": ("engine.unit_of_work", "CaseWork"),
    "Clock": ("engine.clock", "Clock"),
    "SystemClock": ("engine.clock", "SystemClock"),
    "FixedClock": ("engine.clock", "FixedClock"),
    "EngineError": ("engine.errors", "EngineError"),
    "NotFound": ("engine.errors", "NotFound"),
    "ConflictError": ("engine.errors", "ConflictError"),
    "StepFailed": ("engine.errors", "StepFailed"),
    "InvalidInput": ("engine.errors", "InvalidInput"),
    "validate_bundle": ("engine.models.validation", "validate_bundle"),
    "migrate_database": ("engine.storage.schema_migrations", "upgrade"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'engine' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

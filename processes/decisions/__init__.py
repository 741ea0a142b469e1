"""The decision service: municipal rule packs (DMN files under ``bpmn/rules``) served by name.

``DecisionService.decide`` answers ``trede decide``, the REST API and business rule tasks alike;
the contract is ``shared/contracts/decisions.md``.
"""

from processes.decisions.errors import DecisionError
from processes.decisions.service import DecisionResult, DecisionService, get_decision_service

__all__ = ["DecisionError", "DecisionResult", "DecisionService", "get_decision_service"]

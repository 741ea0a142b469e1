"""Business rule tasks whose decision is chosen at run time.

A model names a decision (``calledDecisionId``); which table answers depends on the case's
gemeente and the date in force, which SpiffWorkflow cannot know. A decision that the deployed
bundle does not carry itself becomes a ``ProvidedDecision``: at run time it asks the decision
provider that the application plugged into the engine.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

if TYPE_CHECKING:
    from lxml import etree
    from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
    from SpiffWorkflow.task import Task


class DecisionProvider(Protocol):
    def evaluate_in_case(
        self, decision_id: str, data: Mapping[str, Any], gemeente: str, today: date
    ) -> dict[str, Any]:
        """Outputs (and any trace) to merge into the task data."""


class DecisionUnavailable(Exception):
    pass


class ProvidedDecision:
    """Stands in for SpiffWorkflow's DMNEngine on a business rule task."""

    def __init__(self, decision_id: str) -> None:
        self.decision_id = decision_id

    def result(self, task: Task) -> dict[str, Any]:
        decide = getattr(task.workflow.script_engine, "decide", None)
        if decide is None:
            raise DecisionUnavailable(
                f"beslissing {self.decision_id!r} is niet in het model opgenomen en er is geen "
                "beslisservice aangesloten"
            )
        result: dict[str, Any] = decide(self.decision_id, task)
        # SpiffWorkflow deep-merges the result into the task data, which would append a COLLECT
        # list to the one a previous evaluation left there: a new decision replaces the old.
        for key in result:
            task.data.pop(key, None)
        return result


class TredeBpmnParser(SpiffBpmnParser):  # type: ignore[misc]  # untyped SpiffWorkflow base
    """SpiffWorkflow's parser, letting unknown decisions fall through to the decision provider."""

    def get_engine(self, decision_ref: str, node: etree._Element) -> DMNEngine | ProvidedDecision:
        if decision_ref in self.dmn_parsers:
            return super().get_engine(decision_ref, node)
        return ProvidedDecision(decision_ref)

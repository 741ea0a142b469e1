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

from lxml import etree
from SpiffWorkflow.dmn.specs.model import DecisionTable
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.dmn.definitions import DecisionModel
from engine.dmn.diagram import DiagramEngine
from engine.dmn.drd import is_diagram
from engine.dmn.engine import TableEngine
from engine.dmn.feel_table import FeelTable
from engine.dmn.table import language_of, read_table

if TYPE_CHECKING:
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
    """SpiffWorkflow's parser, letting unknown decisions fall through to the decision provider.

    A decision in the bundle runs on ``TableEngine`` (every hit policy of the standard, FEEL or
    Python cells, the fired rules recorded). ``legacy=True`` is for bundles deployed before that
    engine: they run on SpiffWorkflow's own DMNEngine exactly as when their cases were recorded,
    so that those cases replay as they ran.
    """

    def __init__(self, *args: Any, legacy: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.legacy = legacy
        self.diagrams: dict[str, DecisionModel] = {}  # by the file's first decision id

    def _add_diagram_indexes(self, bpmn: Any) -> None:
        """Lanes from the model, but no positions from its diagram.

        SpiffWorkflow orders a node's outgoing branches by the y position of their targets in the
        drawing, so moving a shape (or laying a model out anew) would change the order in which
        parallel branches run. A case must follow from the process part alone; the branches keep
        the order in which the model lists its flows (as for a model without a diagram).
        """
        super()._add_diagram_indexes(bpmn)
        self.document_positions[self._document_key(bpmn)] = {}

    def add_dmn_xml(self, node: etree._Element, filename: str | None = None) -> None:
        """SpiffWorkflow knows a DMN file by its first decision; a decision requirements diagram
        is found by every decision it holds (not in a legacy bundle: those had one each)."""
        super().add_dmn_xml(node, filename)
        if self.legacy or not is_diagram(node):
            return
        namespace = etree.QName(node).namespace or ""
        parser = next(p for p in self.dmn_parsers.values() if p.node is node)
        for decision in node.findall(f"{{{namespace}}}decision"):
            if decision.get("id"):
                self.dmn_parsers.setdefault(decision.get("id"), parser)

    def get_engine(self, decision_ref: str, node: etree._Element) -> Any:
        if decision_ref not in self.dmn_parsers:
            return ProvidedDecision(decision_ref)
        if self.legacy:
            return super().get_engine(decision_ref, node)
        dmn_parser = self.dmn_parsers[decision_ref]
        if is_diagram(dmn_parser.node):
            # validation refused a diagram trede cannot run, so this builds (once per file)
            key = dmn_parser.bpmn_id
            if key not in self.diagrams:
                self.diagrams[key] = DecisionModel(dmn_parser.node)
            return DiagramEngine(self.diagrams[key], decision_ref)
        decision = self.dmn_parsers[decision_ref].xpath(".//dmn:decision")[0]
        spec = read_table(decision)
        if spec is not None and language_of(spec) == "feel":
            # SpiffWorkflow's reading of the table (Python cells, every element with an id) is
            # not needed: the FEEL table is compiled from the XML.
            table = DecisionTable(spec.id, spec.decision_name, spec.hit_policy)
            return TableEngine(table, spec, FeelTable(spec))
        return TableEngine(super().get_engine(decision_ref, node).decision_table, spec)


"""A whole DMN document evaluated as the standard says: decisions that are a decision table or a
literal expression, the input data they read and the decisions they require.

This is what the DMN TCK runs (tests/dmn/test_tck.py); decision tables go through the same
FEEL compiler and hit policies as business rule tasks. Everything else of DMN (business knowledge
models, invocations, contexts, relations, decision services ...) is refused naming the element.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from engine.dmn.feel import FeelError, compile_expression
from engine.dmn.feel.values import to_feel
from engine.dmn.feel_table import FeelTable
from engine.dmn.hit_policy import apply, refusal
from engine.dmn.namespaces import dmn_version, unknown_namespace
from engine.dmn.table import language_of, read_table

# Elements of DMN that this evaluator does not run, with their Dutch description.
UNSUPPORTED = {
    "businessKnowledgeModel": "business knowledge model",
    "decisionService": "decision service",
    "invocation": "aanroep (invocation)",
    "context": "context-expressie",
    "relation": "relatie",
    "functionDefinition": "functiedefinitie",
    "list": "lijst-expressie",
    "conditional": "conditionele expressie",
    "iterator": "iterator",
    "filter": "filter",
}


class Unsupported(Exception):
    """The model uses a construct trede does not evaluate; the message names it (Dutch)."""


@dataclass(frozen=True)
class _Decision:
    name: str
    requires: tuple[str, ...]  # names of required decisions
    table: FeelTable | None
    literal: Any  # compiled literal expression, when not a table
    policy: tuple[str, str | None, tuple[Any, ...]] | None  # hit policy, aggregation, output columns


class DecisionModel:
    def __init__(self, root: etree._Element) -> None:
        namespace = etree.QName(root).namespace
        if dmn_version(namespace) is None:
            raise Unsupported(unknown_namespace(namespace))
        self.ns = {"dmn": namespace or ""}
        for local, what in UNSUPPORTED.items():
            found = root.find(f".//dmn:{local}", self.ns)
            if found is not None:
                raise Unsupported(f"{what} (<{local}>, regel {found.sourceline}) wordt niet ondersteund")
        self.root = root
        self.input_names = tuple(e.get("name", "") for e in root.findall("dmn:inputData", self.ns))
        decisions = root.findall("dmn:decision", self.ns)
        self.names = (*self.input_names, *(d.get("name", "") for d in decisions))
        self.decisions = {d.get("name", ""): self._decision(d) for d in decisions}

    def _decision(self, element: etree._Element) -> _Decision:
        requires = tuple(self._required(element))
        spec = read_table(element)
        if spec is not None:
            if language_of(spec) != "feel":
                raise Unsupported(f"beslissing {spec.decision_name!r}: alleen FEEL-tabellen")
            columns = spec.output_columns(self._orders(element))
            why = refusal(spec.hit_policy, spec.aggregation, columns)
            if why is not None:
                raise Unsupported(f"beslissing {spec.decision_name!r}: {why}")
            try:
                table = FeelTable(spec, self.names)
            except FeelError as exc:
                raise Unsupported(f"beslissing {spec.decision_name!r}: {exc}") from None
            return _Decision(element.get("name", ""), requires, table, None,
                             (spec.hit_policy, spec.aggregation, columns))
        text = element.findtext("dmn:literalExpression/dmn:text", None, self.ns)
        if text is None:
            raise Unsupported(f"beslissing {element.get('name')!r}: alleen een beslistabel of een "
                              "literal expression wordt ondersteund")
        try:
            literal = compile_expression(text, self.names)
        except FeelError as exc:
            raise Unsupported(f"beslissing {element.get('name')!r}: {exc}") from None
        return _Decision(element.get("name", ""), requires, None, literal, None)

    def _required(self, element: etree._Element) -> list[str]:
        by_id = {d.get("id"): d.get("name", "") for d in self.root.findall("dmn:decision", self.ns)}
        found = []
        for ref in element.findall("dmn:informationRequirement/dmn:requiredDecision", self.ns):
            found.append(by_id.get((ref.get("href") or "").lstrip("#"), ""))
        return found

    def _orders(self, decision: etree._Element) -> dict[str, tuple[Any, ...]]:
        """Output value orders from item definitions (PRIORITY, OUTPUT ORDER), by output name."""
        variable = decision.find("dmn:variable", self.ns)
        type_ref = variable.get("typeRef") if variable is not None else None
        orders: dict[str, tuple[Any, ...]] = {}
        item = self._item_definition(type_ref)
        if item is None:
            return orders
        own = self._allowed(item)
        if own is not None:
            orders[decision.get("name", "")] = own
            if variable is not None:
                orders[variable.get("name", "")] = own
        for component in item.findall("dmn:itemComponent", self.ns):
            allowed = self._allowed(component)
            if allowed is not None:
                orders[component.get("name", "")] = allowed
        return orders

    def _item_definition(self, name: str | None) -> etree._Element | None:
        for item in self.root.findall("dmn:itemDefinition", self.ns):
            if item.get("name") == name:
                inner = item.findtext("dmn:typeRef", None, self.ns)
                nested = self._item_definition(inner) if inner and inner != name else None
                return nested if nested is not None and item.find("dmn:itemComponent", self.ns) is None \
                    and item.find("dmn:allowedValues", self.ns) is None else item
        return None

    def _allowed(self, element: etree._Element) -> tuple[Any, ...] | None:
        text = element.findtext("dmn:allowedValues/dmn:text", None, self.ns)
        if not text:
            return None
        found = compile_expression(f"[{text}]")({}, None)
        return tuple(found) if isinstance(found, list) else None

    def evaluate(self, decision: str, inputs: Mapping[str, Any]) -> Any:
        """The value of ``decision`` for the given input data (required decisions first)."""
        context = {name: to_feel(value) for name, value in inputs.items()}
        return self._value(decision, context, ())

    def _value(self, name: str, context: dict[str, Any], path: tuple[str, ...]) -> Any:
        if name in path:
            raise Unsupported(f"beslissingen vereisen elkaar in een kring: {' -> '.join((*path, name))}")
        decision = self.decisions[name]
        for required in decision.requires:
            if required not in context:
                context[required] = self._value(required, context, (*path, name))
        if decision.table is None:
            return decision.literal(context, None)
        assert decision.policy is not None
        hit_policy, aggregation, columns = decision.policy
        return apply(hit_policy, aggregation, columns, decision.table.hits(context), name).value

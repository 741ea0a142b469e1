"""A whole DMN document evaluated as the standard says: a decision requirements diagram of
decisions (a decision table, a literal expression or an invocation), the input data they read,
the decisions they require and the business knowledge models they invoke (``invocation`` or a
FEEL call of the model by name).

This is what the DMN TCK runs (tests/dmn/test_tck.py), what ``trede validate`` checks a DMN file
with several decisions against, and what a business rule task calling a decision of such a file
runs (``engine.dmn.engine.DiagramEngine``). Decision tables go through the same FEEL compiler
and hit policies as single tables. Everything else of DMN (contexts, relations, decision
services, function definitions ...) is refused naming the element.

Scope: a decision reads every input value it is given and the values of the decisions it
requires (not those of other decisions); a business knowledge model reads its parameters.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from lxml import etree

from engine.dmn.drd import Element, Graph
from engine.dmn.feel import compile_expression
from engine.dmn.feel.values import to_feel
from engine.dmn.logic import Calls, Knowledge, Logic, LogicError, Scope, Step, compile_logic
from engine.dmn.namespaces import dmn_version, unknown_namespace

T = TypeVar("T")
# Elements of DMN that this evaluator does not run, with their Dutch description.
UNSUPPORTED = {
    "decisionService": "decision service",
    "context": "context-expressie",
    "relation": "relatie",
    "functionDefinition": "functiedefinitie",
    "list": "lijst-expressie",
    "conditional": "conditionele expressie",
    "iterator": "iterator",
    "filter": "filter",
    "import": "import van een ander model",
}


class Unsupported(Exception):
    """The model uses a construct trede does not evaluate, or its requirements do not hold
    together (a circle, a reference to nothing); the message names it (Dutch)."""

    def __init__(self, message: str, line: int | None = None, element_id: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.element_id = element_id


@dataclass(frozen=True)
class Run:
    """One evaluation: the called decision's value, and every decision evaluated for it in
    dependency order (required ones first, the called one last)."""

    value: Any
    steps: tuple[Step, ...]

    @property
    def step(self) -> Step:
        return self.steps[-1]


class DecisionModel:
    def __init__(self, root: etree._Element) -> None:
        namespace = etree.QName(root).namespace
        if dmn_version(namespace) is None:
            raise Unsupported(unknown_namespace(namespace))
        self.ns = {"dmn": namespace or ""}
        for local, what in UNSUPPORTED.items():
            found = root.find(f".//dmn:{local}", self.ns)
            if found is not None:
                raise Unsupported(f"{what} (<{local}>, regel {found.sourceline}) wordt niet ondersteund",
                                  found.sourceline, found.get("id"))
        self.root = root
        self.graph = Graph(root)
        if self.graph.problems:
            first = self.graph.problems[0]
            raise Unsupported("; ".join(problem.message for problem in self.graph.problems),
                              first.line, first.element_id)
        self.input_names = tuple(e.name for e in self.graph.of_kind("inputData"))
        self.names = (*self.input_names, *(e.name for e in self.graph.of_kind("decision")))
        models = self.graph.of_kind("businessKnowledgeModel")
        self.functions = tuple(e.name for e in models)
        self.knowledge = {e.name: _compiled(self._knowledge, e) for e in models}
        self.logic = {e.id: _compiled(self._logic, e) for e in self.graph.of_kind("decision")}

    def decision_ids(self) -> list[str]:
        return [element.id for element in self.graph.of_kind("decision")]

    def decision(self, ref: str) -> Element:
        """A decision by id or name; KeyError naming the known ones otherwise."""
        found = self.graph.decision(ref)
        if found is None:
            known = ", ".join(e.name for e in self.graph.of_kind("decision"))
            raise KeyError(f"onbekende beslissing {ref!r} (dit bestand heeft: {known})")
        return found

    def _knowledge(self, element: Element) -> Knowledge:
        logic = element.node.find("dmn:encapsulatedLogic", self.ns)
        if logic is None:
            raise LogicError(f"business knowledge model {element.name!r} heeft geen encapsulatedLogic")
        parameters = tuple(p.get("name", "") for p in logic.findall("dmn:formalParameter", self.ns))
        scope = Scope((*parameters, *self.functions), self.functions)
        return Knowledge(element.name, parameters, compile_logic(element.node, logic, scope, self.ns))

    def _logic(self, element: Element) -> Logic:
        scope = Scope(self.names, self.functions, self._orders(element.node))
        return compile_logic(element.node, element.node, scope, self.ns)

    def evaluate(self, decision: str, inputs: Mapping[str, Any]) -> Any:
        """The value of ``decision`` (id or name) for the given input data."""
        return self.run(decision, inputs).value

    def run(self, decision: str, inputs: Mapping[str, Any]) -> Run:
        """``decision`` with every decision it requires, in dependency order, each explained."""
        target = self.decision(decision)
        given = {name: to_feel(value) for name, value in inputs.items()}
        values: dict[str, Any] = {}
        steps = []
        for element in self.graph.order(target.id):
            calls: Calls = []
            functions: dict[str, Any] = {}
            for name, model in self.knowledge.items():
                functions[name] = model.bind(functions, calls)
            required = {self.graph.elements[ref].name: values[ref] for ref in element.decisions}
            step = self.logic[element.id].run({**given, **functions, **required}, calls)
            step.calls, step.requires = calls, tuple(required)
            values[element.id] = step.value
            steps.append(step)
        return Run(values[target.id], tuple(steps))

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


def _compiled(compile_: Callable[[Element], T], element: Element) -> T:
    try:
        return compile_(element)
    except LogicError as exc:
        raise Unsupported(str(exc), exc.line or element.line, element.id) from None

"""The logic of a decision or a business knowledge model, compiled once: a decision table, a literal
expression (FEEL) or an invocation of a business knowledge model with bindings.

``Logic.run(context, calls)`` gives the value and a ``Step`` that says how it came about in
words a case manager and an auditor can read: for a table the rules that matched, which won
and why (``engine.dmn.hit_policy``); for a literal expression the expression; for an invocation
the model called with its arguments. ``calls`` collects the business knowledge models invoked.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from lxml import etree

from engine.dmn.feel import FeelError, compile_expression
from engine.dmn.feel.compiler import Fn
from engine.dmn.feel_table import FeelTable
from engine.dmn.hit_policy import OutputColumn, apply, refusal
from engine.dmn.table import TableSpec, language_of, read_table


class LogicError(Exception):
    """The logic cannot be compiled or is not run by trede (Dutch message naming it)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Step:
    """How one decision (or one invocation of a business knowledge model) got its value."""

    name: str
    id: str
    kind: str  # "beslistabel", "expressie", "aanroep"
    value: Any
    explanation: str
    columns: dict[str, Any] = field(default_factory=dict)  # per output its value (tables)
    hit_policy: str | None = None
    fired: tuple[str, ...] = ()
    used: tuple[str, ...] = ()
    rules: dict[str, str] = field(default_factory=dict)  # rule id -> description (tables)
    inputs: dict[str, Any] = field(default_factory=dict)  # input expression -> value (tables)
    calls: list[Step] = field(default_factory=list)  # business knowledge models invoked
    requires: tuple[str, ...] = ()  # names of the required decisions (decisions only)


Calls = list[Step]


class Logic:
    def run(self, context: Mapping[str, Any], calls: Calls) -> Step:
        raise NotImplementedError


@dataclass(frozen=True)
class Scope:
    """What compiled logic may name: values (input data, decisions, parameters) and functions."""

    names: tuple[str, ...]
    functions: tuple[str, ...]
    orders: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # output value orders by name


def compile_logic(owner: etree._Element, holder: etree._Element, scope: Scope, ns: dict[str, str]) -> Logic:
    """The logic in ``holder`` (a decision, or a model's encapsulatedLogic) of ``owner``."""
    label = f"{_what(owner)} {owner.get('name')!r}"
    spec = read_table(holder)
    if spec is not None:
        spec = replace(spec, decision_id=owner.get("id", ""), decision_name=owner.get("name", ""))
        return _Table(spec, scope, label)
    literal = holder.find("dmn:literalExpression", ns)
    if literal is not None:
        return _Literal(owner, literal.findtext("dmn:text", "", ns) or "", scope, label)
    invocation = holder.find("dmn:invocation", ns)
    if invocation is not None:
        return _Invocation(owner, invocation, scope, label, ns)
    raise LogicError(f"{label}: alleen een beslistabel, een literal expression of een aanroep "
                     "(invocation) van een business knowledge model wordt ondersteund")


def _what(owner: etree._Element) -> str:
    return "beslissing" if etree.QName(owner).localname == "decision" else "business knowledge model"


class _Table(Logic):
    def __init__(self, spec: TableSpec, scope: Scope, label: str) -> None:
        if language_of(spec) != "feel":
            raise LogicError(f"{label}: in een beslissingsdiagram worden alleen FEEL-tabellen ondersteund")
        self.spec = spec
        self.columns: tuple[OutputColumn, ...] = spec.output_columns(dict(scope.orders))
        why = refusal(spec.hit_policy, spec.aggregation, self.columns)
        if why is not None:
            raise LogicError(f"{label}: {why}")
        try:
            self.table = FeelTable(spec, scope.names, scope.functions)
        except FeelError as exc:
            raise LogicError(f"{label}: {exc}", getattr(exc, "line", None)) from None

    def run(self, context: Mapping[str, Any], calls: Calls) -> Step:
        values = self.table.input_values(context)
        hits = self.table.hits(context, values)
        defaults = None if hits else self.table.default_outputs(context)
        spec = self.spec
        outcome = apply(spec.hit_policy, spec.aggregation, self.columns, hits, spec.decision_name, defaults)
        return Step(
            spec.decision_name, spec.decision_id, "beslistabel", outcome.value, outcome.explanation,
            outcome.columns, spec.hit_policy + (f" {spec.aggregation}" if spec.aggregation else ""),
            outcome.fired, outcome.used, {rule.id: rule.description for rule in spec.rules},
            {clause.expression: value for clause, value in zip(spec.inputs, values, strict=True)},
        )


class _Literal(Logic):
    def __init__(self, owner: etree._Element, text: str, scope: Scope, label: str) -> None:
        self.name, self.id, self.text = owner.get("name", ""), owner.get("id", ""), " ".join(text.split())
        try:
            self.expression = compile_expression(text, scope.names, scope.functions)
        except FeelError as exc:
            raise LogicError(f"{label}: {exc}") from None

    def run(self, context: Mapping[str, Any], calls: Calls) -> Step:
        value = self.expression(context, None)
        return Step(self.name, self.id, "expressie", value, f"{self.text} = {show(value)}",
                    {self.name: value})


class _Invocation(Logic):
    def __init__(self, owner: etree._Element, node: etree._Element, scope: Scope, label: str,
                 ns: dict[str, str]) -> None:
        self.name, self.id = owner.get("name", ""), owner.get("id", "")
        self.called = (node.findtext("dmn:literalExpression/dmn:text", "", ns) or "").strip()
        if self.called not in scope.functions:
            raise LogicError(f"{label}: roept {self.called!r} aan, maar dat is geen business knowledge "
                             "model van dit bestand (of de beslissing vereist het niet)")
        self.bindings: list[tuple[str, Fn | None]] = []
        for binding in node.findall("dmn:binding", ns):
            parameter = binding.find("dmn:parameter", ns)
            text = binding.findtext("dmn:literalExpression/dmn:text", None, ns)
            if binding.find("dmn:literalExpression", ns) is None and len(binding) > 1:
                raise LogicError(f"{label}: een binding van {self.called!r} is geen literal expression")
            try:
                compiled = None if text is None else compile_expression(text, scope.names, scope.functions)
            except FeelError as exc:
                raise LogicError(f"{label}: binding: {exc}") from None
            self.bindings.append(("" if parameter is None else parameter.get("name", ""), compiled))

    def run(self, context: Mapping[str, Any], calls: Calls) -> Step:
        arguments = {name: None if fn is None else fn(context, None) for name, fn in self.bindings}
        function = context.get(self.called)
        value = function(**arguments) if callable(function) else None
        shown = ", ".join(f"{name} = {show(item)}" for name, item in arguments.items())
        return Step(self.name, self.id, "aanroep", value, f"{self.called}({shown}) = {show(value)}",
                    {self.name: value})


class Knowledge:
    """A business knowledge model: parameters and logic, called as a FEEL function."""

    def __init__(self, name: str, parameters: tuple[str, ...], logic: Logic) -> None:
        self.name, self.parameters, self.logic = name, parameters, logic

    def bind(self, functions: Mapping[str, Any], calls: Calls) -> Callable[..., Any]:
        """The function a decision calls; each call is added to ``calls`` with its arguments."""
        def call(*args: Any, **named: Any) -> Any:
            unknown = set(named) - set(self.parameters)
            if len(args) > len(self.parameters) or unknown:
                return None  # FEEL: a call that does not fit the parameters is null
            arguments = dict.fromkeys(self.parameters)
            arguments.update(zip(self.parameters, args, strict=False))
            arguments.update(named)
            inner: Calls = []
            step = self.logic.run({**functions, **arguments}, inner)
            calls.append(replace(step, name=self.name, calls=inner, explanation=(
                f"{self.name}({', '.join(f'{k} = {show(v)}' for k, v in arguments.items())}) = "
                f"{show(step.value)}: {step.explanation}")))
            return step.value
        return call


def show(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return str(value)

"""A decision table as the DMN standard describes it, read from any DMN version's XML (1.1-1.5).

Only reading: what the table's parts say (hit policy, aggregation, expression language, the
input and output clauses, the rules), with the line of each, so that validation can name what
it refuses and evaluation need not look at XML again.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from lxml import etree

from engine.dmn.feel import FeelError, compile_expression
from engine.dmn.hit_policy import OutputColumn

FEEL_URIS = frozenset({
    "http://www.omg.org/spec/FEEL/20140401", "https://www.omg.org/spec/DMN/20191111/FEEL/",
    "http://www.omg.org/spec/DMN/20180521/FEEL/", "https://www.omg.org/spec/DMN/20211108/FEEL/",
    "https://www.omg.org/spec/DMN/20230324/FEEL/", "feel", "FEEL", "http://camunda.org/feel",
})
PYTHON_URIS = frozenset({"python", "Python", "urn:trede:python", "http://www.python.org",
                         "http://www.python.org/", "https://www.python.org/"})


@dataclass(frozen=True)
class InputClause:
    label: str
    expression: str  # the input expression's text
    type_ref: str
    language: str | None  # the input expression's own expressionLanguage, when it says one
    allowed: str | None  # inputValues text (unary tests)


@dataclass(frozen=True)
class OutputClause:
    name: str
    label: str
    type_ref: str
    values: str | None  # outputValues text: the order for PRIORITY and OUTPUT ORDER
    default: str | None = None  # defaultOutputEntry text: the answer when no rule matches


@dataclass(frozen=True)
class RuleRow:
    id: str
    number: int  # 1-based position, as a modeler shows it
    line: int | None
    description: str
    input_entries: tuple[str | None, ...]  # None: "-" or empty, any value
    output_entries: tuple[str | None, ...]  # None: empty, null


@dataclass(frozen=True)
class TableSpec:
    decision_id: str
    decision_name: str
    id: str
    line: int | None
    hit_policy: str
    aggregation: str | None
    expression_language: str | None  # as written (table, else definitions); None: not said
    inputs: tuple[InputClause, ...]
    outputs: tuple[OutputClause, ...]
    rules: tuple[RuleRow, ...]

    def output_columns(self, orders: dict[str, tuple[Any, ...]] | None = None) -> tuple[OutputColumn, ...]:
        """Output names with their value order (from outputValues, else ``orders``)."""
        orders = orders or {}
        return tuple(OutputColumn(clause.name, _values(clause.values) or orders.get(clause.name))
                     for clause in self.outputs)


def read_table(decision: etree._Element) -> TableSpec | None:
    """The decision's decision table, or None when the decision has none."""
    ns = {"dmn": etree.QName(decision).namespace or ""}
    table = decision.find("dmn:decisionTable", ns)
    if table is None:
        return None
    # DMN puts the default language on <definitions> (1.1-1.5); a table-level attribute is not
    # in the schemas, but some exporters write it, and it is the more specific one.
    language = table.get("expressionLanguage") or decision.getroottree().getroot().get("expressionLanguage")
    inputs = tuple(_input(element, ns) for element in table.findall("dmn:input", ns))
    outputs = tuple(_output(element, decision, ns) for element in table.findall("dmn:output", ns))
    rules = tuple(_rule(element, number, ns)
                  for number, element in enumerate(table.findall("dmn:rule", ns), 1))
    return TableSpec(
        decision.get("id", ""), decision.get("name", ""), table.get("id", ""), table.sourceline,
        table.get("hitPolicy", "UNIQUE").strip().upper(), _aggregation(table), language,
        inputs, outputs, rules,
    )


def _aggregation(table: etree._Element) -> str | None:
    value = table.get("aggregation")
    return value.strip().upper() if value else None


def _input(element: etree._Element, ns: dict[str, str]) -> InputClause:
    expression = element.find("dmn:inputExpression", ns)
    text = "" if expression is None else (expression.findtext("dmn:text", "", ns) or "").strip()
    return InputClause(
        element.get("label", ""), text, "" if expression is None else expression.get("typeRef", ""),
        None if expression is None else expression.get("expressionLanguage"),
        _text(element.find("dmn:inputValues", ns), ns),
    )


def _output(element: etree._Element, decision: etree._Element, ns: dict[str, str]) -> OutputClause:
    name = element.get("name") or ""
    if not name:  # a single-output table's output is named by its decision (DMN 1.5, 8.3.2)
        variable = decision.find("dmn:variable", ns)
        name = (variable.get("name") if variable is not None else None) or decision.get("name") or ""
    return OutputClause(name, element.get("label", ""), element.get("typeRef", ""),
                        _text(element.find("dmn:outputValues", ns), ns),
                        _text(element.find("dmn:defaultOutputEntry", ns), ns))


def _rule(element: etree._Element, number: int, ns: dict[str, str]) -> RuleRow:
    description = " ".join((element.findtext("dmn:description", "", ns) or "").split())
    return RuleRow(
        element.get("id") or f"regel {number}", number, element.sourceline, description,
        tuple(_entry(entry, ns) for entry in element.findall("dmn:inputEntry", ns)),
        tuple(_entry(entry, ns) for entry in element.findall("dmn:outputEntry", ns)),
    )


def _entry(entry: etree._Element, ns: dict[str, str]) -> str | None:
    text = (entry.findtext("dmn:text", "", ns) or "").strip()
    return None if text in ("", "-") else text


def _text(element: etree._Element | None, ns: dict[str, str]) -> str | None:
    if element is None:
        return None
    text = (element.findtext("dmn:text", "", ns) or "").strip()
    return text or None


def _values(text: str | None) -> tuple[Any, ...] | None:
    """A list of literal values (``"a", "b"`` or ``1, 2``: the same in FEEL and in Python)."""
    if not text:
        return None
    try:
        return tuple(ast.literal_eval(f"({text},)"))
    except (ValueError, SyntaxError):
        pass
    try:
        found = compile_expression(f"[{text}]")({}, None)
    except FeelError:
        return None
    return tuple(found) if isinstance(found, list) else None


def language_of(spec: TableSpec, legacy: bool = False) -> str:
    """"feel" or "python" for the table's cells, or the expression language as written when
    trede does not run it. No expressionLanguage means FEEL, as the standard says, except in
    a bundle deployed before FEEL was read (``legacy``): those were always Python."""
    written = spec.expression_language
    if written is None:
        return "python" if legacy else "feel"
    if written in FEEL_URIS:
        return "feel"
    if written in PYTHON_URIS:
        return "python"
    return written

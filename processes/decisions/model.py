"""The decision tables of one pack file: one decision, or a decision requirements diagram of
several decision tables where one table's outputs are another's inputs (``requiredDecision``).

Pack files are trusted repository files, read with a parser that loads no DTD, resolves no
entities and touches no network. SpiffWorkflow's own XSD validation is applied in the tests.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree

from engine.dmn.drd import Graph
from engine.dmn.hit_policy import OutputColumn, refusal
from engine.dmn.namespaces import dmn_version, unknown_namespace
from engine.dmn.table import PYTHON_URIS
from processes.decisions.types import INPUT_TYPES, OUTPUT_TYPES, default_for

DMN_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
TREDE_NS = "urn:trede:dmn"  # extension elements: an input's default value
_NS = {"dmn": DMN_NS, "trede": TREDE_NS}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


class PackError(Exception):
    """A rule pack file is malformed (a bug in the repository, not in a request)."""


@dataclass(frozen=True)
class InputClause:
    name: str
    type: str
    default: Any
    allowed: tuple | None  # permitted values, when the DMN lists them (inputValues)
    label: str


@dataclass(frozen=True)
class OutputClause:
    name: str
    type: str
    order: tuple | None = None  # outputValues: the order for PRIORITY and OUTPUT ORDER


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    cells: tuple[str | None, ...]  # one input entry per input; None = any value ("-")
    outputs: tuple[str | None, ...]  # one output expression per output; None = null


@dataclass(frozen=True)
class DecisionTable:
    id: str
    name: str
    hit_policy: str
    inputs: tuple[InputClause, ...]
    outputs: tuple[OutputClause, ...]
    rules: tuple[Rule, ...]
    path: Path
    aggregation: str | None = None  # COLLECT SUM/MIN/MAX/COUNT
    requires: tuple[DecisionTable, ...] = ()  # the decisions whose outputs it reads (same file)

    def columns(self) -> tuple[OutputColumn, ...]:
        return tuple(OutputColumn(clause.name, clause.order) for clause in self.outputs)

    def input(self, name: str) -> InputClause | None:
        return next((clause for clause in self.inputs if clause.name == name), None)

    def order(self) -> list[DecisionTable]:
        """This decision and every decision it requires, directly or not, required ones first."""
        found: list[DecisionTable] = []
        for required in self.requires:
            found += [table for table in required.order() if table not in found]
        return [*found, self]

    def caller_inputs(self) -> tuple[InputClause, ...]:
        """The inputs a caller gives: those of every table in the graph that no required
        decision's output fills, each name once (its first clause)."""
        tables = self.order()
        made = {clause.name for table in tables[:-1] for clause in table.outputs}
        found: dict[str, InputClause] = {}
        for table in tables:
            for clause in table.inputs:
                if clause.name not in made:
                    found.setdefault(clause.name, clause)
        return tuple(found.values())


def load_table(path: Path) -> DecisionTable:
    """Read a .dmn file of one decision; raises PackError naming the file and the problem."""
    tables = load_tables(path)
    if len(tables) != 1:
        raise PackError(f"{path}: expected exactly one decision, found {len(tables)}")
    return tables[0]


def load_tables(path: Path) -> list[DecisionTable]:
    """Every decision of one .dmn file, each with the decisions it requires; raises PackError
    naming the file and the problem (a circle of requirements names the decisions)."""
    try:
        root = etree.parse(str(path), _PARSER).getroot()
        return _tables(_read_as_dmn13(root, path), path)
    except (etree.XMLSyntaxError, KeyError, ValueError, SyntaxError) as exc:
        raise PackError(f"{path}: {exc}") from exc


def _read_as_dmn13(root: etree._Element, path: Path) -> etree._Element:
    """DMN 1.1-1.5 name the same elements alike: read any of them by DMN 1.3's names."""
    namespace = etree.QName(root).namespace
    if dmn_version(namespace) is None:
        raise PackError(f"{path}: {unknown_namespace(namespace)}")
    if namespace != DMN_NS:
        prefix = f"{{{namespace}}}"
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.startswith(prefix):
                element.tag = f"{{{DMN_NS}}}{element.tag[len(prefix):]}"
    return root


def _tables(root: etree._Element, path: Path) -> list[DecisionTable]:
    language = root.get("expressionLanguage")
    if language not in PYTHON_URIS:
        # Pack cells are read as Python (see evaluate.py); a FEEL table (the standard's default)
        # read that way would answer wrongly, so it is refused.
        said = "no expressionLanguage (FEEL, the DMN default)" if language is None else repr(language)
        raise PackError(f"{path}: rule pack tables are Python: write expressionLanguage="
                        f'"https://www.python.org/" on <definitions> (this file has {said})')
    decisions = root.findall("dmn:decision", _NS)
    if not decisions:
        raise PackError(f"{path}: expected at least one decision, found 0")
    for extra in ("businessKnowledgeModel", "decisionService"):
        found = root.find(f"dmn:{extra}", _NS)
        if found is not None:
            raise PackError(f"{path}:{found.sourceline}: een regelpakket bestaat uit beslistabellen; "
                            f"<{extra}> wordt daar niet ondersteund")
    graph = Graph(root)
    if graph.problems:
        raise PackError(f"{path}:{graph.problems[0].line}: "
                        + "; ".join(problem.message for problem in graph.problems))
    raw = {decision.get("id"): _table(decision, path) for decision in decisions}
    built: dict[str, DecisionTable] = {}
    for decision in decisions:
        for element in graph.order(decision.get("id", "")):
            if element.id not in built:
                requires = tuple(built[ref] for ref in element.decisions)
                built[element.id] = replace(raw[element.id], requires=requires)
    tables = [built[decision.get("id", "")] for decision in decisions]
    for table in tables:
        _check_requirements(table, path)
    return tables


def _check_requirements(table: DecisionTable, path: Path) -> None:
    """A required decision must give the dependent table an input it reads (by name)."""
    names = {clause.name for clause in table.inputs}
    for required in table.requires:
        if not names & {clause.name for clause in required.outputs}:
            outputs = ", ".join(clause.name for clause in required.outputs)
            raise PackError(f"{path}: beslissing {table.id!r} vereist {required.id!r}, maar leest geen "
                            f"van diens uitkomsten ({outputs}) als invoer")


def _table(decision: etree._Element, path: Path) -> DecisionTable:
    table = decision.find("dmn:decisionTable", _NS)
    if table is None:
        raise PackError(f"{path}: decision {decision.get('id')!r} has no decisionTable")
    hit_policy = table.get("hitPolicy", "UNIQUE").strip().upper()
    aggregation = table.get("aggregation", "").strip().upper() or None
    inputs = tuple(_input(element) for element in table.findall("dmn:input", _NS))
    outputs = tuple(_output(element) for element in table.findall("dmn:output", _NS))
    rules = tuple(_rule(element, len(inputs), len(outputs)) for element in table.findall("dmn:rule", _NS))
    found = DecisionTable(
        decision.get("id"), decision.get("name", ""), hit_policy, inputs, outputs, rules, path, aggregation
    )
    why = refusal(hit_policy, aggregation, found.columns())
    if why is not None:
        raise PackError(f"{path}: {why}")
    return found


def _input(element: etree._Element) -> InputClause:
    expression = element.find("dmn:inputExpression", _NS)
    name = (expression.findtext("dmn:text", "", _NS) or "").strip()
    type_ref = expression.get("typeRef", "")
    if not name.isidentifier():
        raise ValueError(f"input expression {name!r} must be a plain input name")
    if type_ref not in INPUT_TYPES:
        raise ValueError(f"input {name!r} has unsupported typeRef {type_ref!r}")
    default_text = element.findtext("dmn:extensionElements/trede:default", None, _NS)
    default = json.loads(default_text) if default_text is not None else default_for(type_ref)
    allowed_text = element.findtext("dmn:inputValues/dmn:text", None, _NS)
    allowed = tuple(ast.literal_eval(f"({allowed_text},)")) if allowed_text else None
    return InputClause(name, type_ref, default, allowed, element.get("label", name))


def _output(element: etree._Element) -> OutputClause:
    name, type_ref = element.get("name", ""), element.get("typeRef", "")
    if not name.isidentifier():
        raise ValueError(f"output name {name!r} must be an identifier")
    if type_ref not in OUTPUT_TYPES:
        raise ValueError(f"output {name!r} has unsupported typeRef {type_ref!r}")
    if element.find("dmn:defaultOutputEntry", _NS) is not None:
        # the pack's reading of a table (evaluate.py) has no default: it would answer null
        raise ValueError(f"output {name!r} has a defaultOutputEntry, which rule pack tables do not use: "
                         "write a last rule with '-' in every input cell")
    values_text = element.findtext("dmn:outputValues/dmn:text", None, _NS)
    order = tuple(ast.literal_eval(f"({values_text},)")) if values_text else None
    return OutputClause(name, type_ref, order)


def _rule(element: etree._Element, n_inputs: int, n_outputs: int) -> Rule:
    rule_id = element.get("id")
    cells = tuple(_cell(entry) for entry in element.findall("dmn:inputEntry", _NS))
    outputs = tuple(_cell(entry) for entry in element.findall("dmn:outputEntry", _NS))
    if len(cells) != n_inputs or len(outputs) != n_outputs:
        raise ValueError(
            f"rule {rule_id!r} has {len(cells)}/{len(outputs)} entries, expected {n_inputs}/{n_outputs}"
        )
    description = " ".join((element.findtext("dmn:description", "", _NS) or "").split())
    return Rule(rule_id, description, cells, outputs)


def _cell(entry: etree._Element) -> str | None:
    text = (entry.findtext("dmn:text", "", _NS) or "").strip()
    return None if text in ("", "-") else text

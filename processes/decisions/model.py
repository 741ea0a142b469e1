"""A decision table as read from one pack file (one decision per .dmn file).

Pack files are trusted repository files, read with a parser that loads no DTD, resolves no
entities and touches no network. SpiffWorkflow's own XSD validation is applied in the tests.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

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

    def columns(self) -> tuple[OutputColumn, ...]:
        return tuple(OutputColumn(clause.name, clause.order) for clause in self.outputs)

    def input(self, name: str) -> InputClause | None:
        return next((clause for clause in self.inputs if clause.name == name), None)


def load_table(path: Path) -> DecisionTable:
    """Read one .dmn file; raises PackError naming the file and the problem."""
    return parse_table(path.read_bytes(), path)


def parse_table(content: bytes, path: Path) -> DecisionTable:
    """Read one decision table from its XML text, as a pack file or a version deployed in the
    database is read (one loader for both); ``path`` names it in messages and caches."""
    try:
        root = etree.fromstring(content, _PARSER)
        return _table(_read_as_dmn13(root, path), path)
    except (etree.XMLSyntaxError, KeyError, ValueError, SyntaxError, AttributeError) as exc:
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


def _table(root: etree._Element, path: Path) -> DecisionTable:
    language = root.get("expressionLanguage")
    if language not in PYTHON_URIS:
        # Pack cells are read as Python (see evaluate.py); a FEEL table (the standard's default)
        # read that way would answer wrongly, so it is refused.
        said = "no expressionLanguage (FEEL, the DMN default)" if language is None else repr(language)
        raise PackError(f"{path}: rule pack tables are Python: write expressionLanguage="
                        f'"https://www.python.org/" on <definitions> (this file has {said})')
    decisions = root.findall("dmn:decision", _NS)
    if len(decisions) != 1:
        raise PackError(f"{path}: expected exactly one decision, found {len(decisions)}")
    decision = decisions[0]
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

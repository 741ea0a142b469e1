"""A designer's new version of a decision table, checked with exactly the rules it will run with.

The checks below name the rule and column of a problem in Dutch; the last check is the loader and
evaluator that business rule tasks use (``deployed.as_version``: ``model.parse_table`` and
``TableEvaluator``, every cell compiled in the sandbox), so a table that passes here runs the same
way in a case, and the README's cells (``not in (...)``, ``>= 27``, ``3 < ? <= 12``, ``"nug"``)
mean what the README says.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from engine.dmn.namespaces import dmn_version
from engine.dmn.table import PYTHON_URIS
from engine.models.safe_xml import UnsafeXml, parse_safe_xml
from engine.sandbox.environment import SandboxViolation, compile_code
from processes.decisions.catalogue import Version
from processes.decisions.deployed import as_version
from processes.decisions.evaluate import TableEvaluator, cell_source
from processes.decisions.model import PackError
from processes.decisions.types import INPUT_TYPES, OUTPUT_TYPES, coerce_output

MAX_TABLE_BYTES = 512 * 1024


@dataclass(frozen=True)
class Problem:
    where: str  # "regel r5_recht, kolom bedrag" or "" for the table as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def check(decision_id: str, gemeente: str, geldig_vanaf: date,
          content: str) -> tuple[Version | None, list[Problem]]:
    """The candidate as a catalogue version, or the problems that keep it from running."""
    raw = content.encode("utf-8")
    if len(raw) > MAX_TABLE_BYTES:
        return None, [Problem("", f"de tabel is {len(raw):,} bytes; de grens is {MAX_TABLE_BYTES:,} bytes")]
    try:
        root = parse_safe_xml(raw).getroot()
    except UnsafeXml as exc:
        return None, [Problem("", f"het bestand is geen geldige DMN-XML ({exc})")]
    problems = _structure(root, decision_id)
    if problems:
        return None, problems
    try:
        version = as_version(gemeente, decision_id, geldig_vanaf, content)
        TableEvaluator(version.table)  # compiles every cell and output as a case will run them
    except PackError as exc:
        detail = str(exc).split(": ", 1)[-1]
        return None, [Problem("", f"de tabel kan zo niet worden uitgevoerd: {detail}")]
    return version, []


def _structure(root: etree._Element, decision_id: str) -> list[Problem]:
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "definitions" or dmn_version(namespace) is None:
        return [Problem("", "het bestand is geen DMN-beslismodel "
                            "(verwacht <definitions> van DMN 1.1 tot 1.5)")]
    ns = {"dmn": namespace}
    if root.get("expressionLanguage") not in PYTHON_URIS:
        return [Problem("", "de regels van een gemeente zijn Python-cellen: zet expressionLanguage="
                            '"https://www.python.org/" op <definitions>')]
    decisions = root.findall("dmn:decision", ns)
    if len(decisions) != 1:
        return [Problem("", f"een regelbestand bevat precies één beslissing; dit bevat er {len(decisions)}")]
    decision = decisions[0]
    if decision.get("id") != decision_id:
        return [Problem("", f"de beslissing heet {decision.get('id')!r}; hier hoort {decision_id!r} "
                            "(de processen roepen haar bij die naam aan)")]
    table = decision.find("dmn:decisionTable", ns)
    if table is None:
        return [Problem("", "de beslissing heeft geen beslistabel")]
    problems: list[Problem] = []
    inputs = _inputs(table, ns, problems)
    outputs = _outputs(table, ns, problems)
    if problems:
        return problems
    for rule in table.findall("dmn:rule", ns):
        problems += _rule(rule, ns, inputs, outputs)
    return problems


def _inputs(table: etree._Element, ns: dict[str, str], problems: list[Problem]) -> list[tuple[str, str]]:
    found = []
    for position, element in enumerate(table.findall("dmn:input", ns), start=1):
        expression = element.find("dmn:inputExpression", ns)
        name = "" if expression is None else (expression.findtext("dmn:text", "", ns) or "").strip()
        type_ref = "" if expression is None else expression.get("typeRef", "")
        label = element.get("label") or name or f"invoer {position}"
        if not name.isidentifier():
            problems.append(Problem(f"invoerkolom {label!r}",
                                    "de invoerexpressie moet de naam van een gegeven zijn "
                                    "(bijv. instrument)"))
        elif type_ref not in INPUT_TYPES:
            problems.append(Problem(f"invoerkolom {label!r}", f"type {type_ref or '(geen)'!r} kan niet; kies "
                                    f"{', '.join(sorted(INPUT_TYPES))}"))
        found.append((name, label))
    return found


def _outputs(table: etree._Element, ns: dict[str, str],
             problems: list[Problem]) -> list[tuple[str, str, str]]:
    found = []
    for position, element in enumerate(table.findall("dmn:output", ns), start=1):
        name, type_ref = element.get("name", ""), element.get("typeRef", "")
        label = element.get("label") or name or f"uitvoer {position}"
        if not name.isidentifier():
            problems.append(Problem(f"uitvoerkolom {label!r}", "geef de uitvoer een naam zonder spaties "
                                    "(bijv. bedrag): onder die naam komt de uitkomst in de zaak"))
        elif type_ref not in OUTPUT_TYPES:
            problems.append(Problem(f"uitvoerkolom {label!r}",
                                    f"type {type_ref or '(geen)'!r} kan niet; kies "
                                    f"{', '.join(sorted(OUTPUT_TYPES))}"))
        found.append((name, label, type_ref))
    return found


def _rule(rule: etree._Element, ns: dict[str, str], inputs: list[tuple[str, str]],
          outputs: list[tuple[str, str, str]]) -> list[Problem]:
    rule_id = rule.get("id") or "?"
    entries = [(e.findtext("dmn:text", "", ns) or "").strip() for e in rule.findall("dmn:inputEntry", ns)]
    results = [(e.findtext("dmn:text", "", ns) or "").strip() for e in rule.findall("dmn:outputEntry", ns)]
    where = f"regel {rule_id}"
    if len(entries) != len(inputs) or len(results) != len(outputs):
        return [Problem(where, f"heeft {len(entries)} invoer- en {len(results)} uitvoercellen; "
                               f"de tabel heeft {len(inputs)} invoer- en {len(outputs)} uitvoerkolommen")]
    problems = []
    if not " ".join((rule.findtext("dmn:description", "", ns) or "").split()):
        problems.append(Problem(where, "geef de regel een omschrijving: de bron (seed en artikel) die zij "
                                       "uitvoert; zij komt bij elke beslissing in de zaak"))
    for (name, label), text in zip(inputs, entries, strict=True):
        if text not in ("", "-"):
            problems += _compiles(cell_source(name, text), f"{where}, kolom {label!r}", text)
    for (name, label, type_ref), text in zip(outputs, results, strict=True):
        if text not in ("", "-"):
            found = _compiles(text, f"{where}, kolom {label!r}", text)
            problems += found or _fits(name, type_ref, text, f"{where}, kolom {label!r}")
    return problems


def _fits(name: str, type_ref: str, text: str, where: str) -> list[Problem]:
    """A literal output (``750``, ``"nug"``, ``True``) must fit its column's type, as a case would
    convert it (``types.coerce_output``); a computed one is checked by the decision tests."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return []
    try:
        coerce_output(name, type_ref, value)
    except (ValueError, TypeError, ArithmeticError):
        return [Problem(where, f"de waarde {text} past niet bij het type {type_ref} van deze kolom")]
    return []


def _compiles(source: str, where: str, text: str) -> list[Problem]:
    try:
        compile_code(source, "eval", where)
    except SandboxViolation as exc:
        # The sandbox's Dutch (engine.sandbox.explain), without the compiled text it quotes: the
        # designer wrote the cell, not the expression SpiffWorkflow makes of it.
        said = re.sub(r" \(bij ‘.*’\)$", "", exc.message)
        return [Problem(where, f"de cel {text!r} kan niet worden uitgevoerd: {said}")]
    return []

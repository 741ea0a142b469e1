"""Finding every piece of Python code in a BPMN or DMN document, with the line that holds it.

SpiffWorkflow evaluates all of these through the workflow's script engine, but only when a case
reaches the node; deploy-time validation compiles each one in the sandbox instead.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeGuard

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NSMAP = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}

_CORRELATION = "correlatie-expressie"
TIMER_EXPRESSION = "timerexpressie"
INPUT_ENTRY = "invoercel"
# (xpath, compile mode, what the user calls it). Texts of these elements are Python code.
_BPMN_CODE = (
    (".//bpmn:scriptTask/bpmn:script", "exec", "script"),
    (".//bpmn:extensionElements/spiffworkflow:preScript", "exec", "voorscript"),
    (".//bpmn:extensionElements/spiffworkflow:postScript", "exec", "naschript"),
    (".//bpmn:sequenceFlow/bpmn:conditionExpression", "eval", "voorwaarde"),
    (".//bpmn:timerEventDefinition/bpmn:timeDate", "eval", TIMER_EXPRESSION),
    (".//bpmn:timerEventDefinition/bpmn:timeDuration", "eval", TIMER_EXPRESSION),
    (".//bpmn:timerEventDefinition/bpmn:timeCycle", "eval", TIMER_EXPRESSION),
    (".//bpmn:conditionalEventDefinition/bpmn:condition", "eval", "gebeurtenisvoorwaarde"),
    (".//bpmn:multiInstanceLoopCharacteristics/bpmn:loopCardinality", "eval", "aantal herhalingen"),
    (".//bpmn:multiInstanceLoopCharacteristics/bpmn:completionCondition", "eval", "afrondingsvoorwaarde"),
    (".//bpmn:standardLoopCharacteristics/bpmn:loopCondition", "eval", "herhaalvoorwaarde"),
    (".//bpmn:adHocSubProcess/bpmn:completionCondition", "eval", "afrondingsvoorwaarde"),
    (".//spiffworkflow:messagePayload", "eval", "berichtinhoud"),
    (".//spiffworkflow:payloadExpression", "eval", "inhoudsexpressie"),
    (".//spiffworkflow:processVariableCorrelation/spiffworkflow:expression", "eval", _CORRELATION),
    (".//bpmn:correlationPropertyRetrievalExpression/bpmn:formalExpression", "eval", _CORRELATION),
    (".//bpmn:correlationPropertyRetrievalExpression/bpmn:messagePath", "eval", _CORRELATION),
)
# Wrappers whose own id means less to a modeller than the flow element around them.
_ID_SKIP = re.compile(r"(EventDefinition|LoopCharacteristics|Expression|extensionElements|"
                      r"timeDate|timeDuration|timeCycle)$")


@dataclass(frozen=True)
class Code:
    """One piece of model code: ``line`` is the file line of its first line."""

    code: str
    mode: str
    what: str
    line: int | None
    element_id: str | None
    written: str | None = None  # the text as the modeller wrote it, when ``code`` differs

    @property
    def shown(self) -> str:
        return self.code if self.written is None else self.written


def owner_id(element: etree._Element) -> str | None:
    """Id of the nearest BPMN/DMN element that holds ``element`` (a task, a flow, a rule)."""
    node: etree._Element | None = element
    while node is not None:
        qname = etree.QName(node)
        if qname.namespace != SPIFF_NS and not _ID_SKIP.search(qname.localname) and node.get("id"):
            return node.get("id")
        node = node.getparent()
    return None


def _has_code(text: str | None) -> TypeGuard[str]:
    return bool(text and text.strip())


def bpmn_code(root: etree._Element) -> Iterator[Code]:
    """Every script and expression of a BPMN document, in document order per kind."""
    for xpath, mode, what in _BPMN_CODE:
        for element in root.iterfind(xpath, NSMAP):
            if _has_code(element.text):
                yield Code(element.text, mode, what, element.sourceline, owner_id(element))
    for param in root.iterfind(".//spiffworkflow:serviceTaskOperator//spiffworkflow:parameter", NSMAP):
        value = param.get("value")
        if value is not None:
            what = f"serviceparameter ‘{param.get('id')}’"
            yield Code(value, "eval", what, param.sourceline, owner_id(param))


def called_decisions(root: etree._Element) -> Iterator[tuple[etree._Element, str | None]]:
    """(businessRuleTask element, its spiffworkflow:calledDecisionId or None)."""
    for task in root.iterfind(".//bpmn:businessRuleTask", NSMAP):
        ref = task.find("bpmn:extensionElements/spiffworkflow:calledDecisionId", NSMAP)
        yield task, None if ref is None or not _has_code(ref.text) else ref.text.strip()


# SpiffWorkflow's DMNEngine: '?' outside quotes is the input value.
_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")
_PLACEHOLDER_INPUT = "dmn_input"


def dmn_entry_code(input_expr: str | None, entry: str) -> str:
    """The expression SpiffWorkflow's DMNEngine evaluates for one input entry cell."""
    input_expr = input_expr or _PLACEHOLDER_INPUT
    match_expr = _QUESTION.sub("dmninputexpr", entry)
    if "dmninputexpr" in match_expr:
        return match_expr
    try:
        ast.parse(entry)
        return f"({input_expr}) == ({entry})"
    except SyntaxError:
        return input_expr + entry


def feel_hint(entry: str) -> str | None:
    """Why an input entry written as FEEL would silently never match (SpiffWorkflow reads Python)."""
    text = entry.strip()
    if ".." in text and text[:1] in "[(]":
        return "een FEEL-bereik werkt hier niet: schrijf bijvoorbeeld 1 <= ? <= 5"
    if text.startswith("not(") or text.startswith("not ("):
        return "FEEL not(...) klopt hier nooit: schrijf bijvoorbeeld ? != 3 of ? not in (1, 2)"
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    if isinstance(tree.body, ast.Tuple):
        return "een FEEL-lijst is nooit gelijk aan één waarde: schrijf bijvoorbeeld ? in (1, 2, 3)"
    return None


def dmn_code(root: etree._Element) -> Iterator[Code]:
    """Input expressions, input entries, output entries and literal expressions of a DMN document."""
    ns = {"dmn": etree.QName(root).namespace or ""}
    for table in root.iterfind(".//dmn:decisionTable", ns):
        inputs = []
        for inp in table.iterfind("dmn:input", ns):
            text = inp.find("dmn:inputExpression/dmn:text", ns)
            expr = text.text if text is not None and _has_code(text.text) else None
            inputs.append(expr)
            if text is not None and expr is not None:
                yield Code(expr, "eval", "invoerexpressie", text.sourceline, owner_id(inp))
        for rule in table.iterfind("dmn:rule", ns):
            yield from _rule_code(rule, inputs, ns)
    for text in root.iterfind(".//dmn:literalExpression/dmn:text", ns):
        if _has_code(text.text):
            yield Code(text.text, "eval", "expressie", text.sourceline, owner_id(text))


def _rule_code(rule: etree._Element, inputs: list[str | None], ns: dict[str, str]) -> Iterator[Code]:
    for index, entry in enumerate(rule.iterfind("dmn:inputEntry", ns)):
        text = entry.find("dmn:text", ns)
        if text is None or not _has_code(text.text) or text.text == "-":
            continue
        input_expr = inputs[index] if index < len(inputs) else None
        code = dmn_entry_code(input_expr, text.text)
        yield Code(code, "eval", INPUT_ENTRY, text.sourceline, owner_id(entry), text.text)
    for entry in rule.iterfind("dmn:outputEntry", ns):
        text = entry.find("dmn:text", ns)
        if text is not None and _has_code(text.text):
            yield Code(text.text, "eval", "uitvoercel", text.sourceline, owner_id(entry))

"""Evaluating one decision table: cells and output expressions run in the project's sandbox.

Cells are read the way SpiffWorkflow reads them (Python, not FEEL): ``-`` or empty matches
anything; ``?`` stands for the column's input (``3 < ? <= 12``); a cell that is a complete
expression is compared for equality (``"nug"``); anything else is appended to the input name
(``>= 27``, ``in ("nug", "anw")``). On top of that the contract's null semantics apply, see
``TableEvaluator``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from engine.dmn.hit_policy import DecisionConflict, Hit, apply
from engine.sandbox.environment import SandboxedEnvironment, SandboxViolation, compile_code
from processes.decisions.model import DecisionTable, PackError, Rule
from processes.decisions.types import coerce_output

# Inputs whose null has a stated meaning (contract): cells see the None instead of failing.
NULL_MEANINGFUL = frozenset({"contractduurMaanden", "hoogsteAfgerondeOpleiding", "loonwaardeVastgesteld"})
# Outputs that grant or refuse: a rule setting one to True grants, to False refuses.
GRANT_OUTPUTS = frozenset({"recht", "toegang", "toegestaan", "goedgekeurd"})
# "?" outside string literals, as SpiffWorkflow's DMNEngine finds it.
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


@dataclass(frozen=True)
class Expression:
    source: str  # the Python expression as run
    names: frozenset[str]  # the decision inputs it reads


@dataclass(frozen=True)
class Evaluation:
    outputs: dict[str, Any]
    fired: tuple[Rule, ...]  # every rule that matched, in rule order
    used: tuple[str, ...] = ()  # ids of the rules whose outputs are in the answer
    explanation: str = ""  # the hit policy's reasoning, in Dutch


def cell_source(input_name: str, text: str) -> str:
    """SpiffWorkflow's reading of an input entry as one Python expression."""
    if _QUESTION_MARK.search(text):
        return _QUESTION_MARK.sub(f"({input_name})", text)
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return f"{input_name} {text}"
    return f"({input_name}) == ({text})"


def _expression(source: str, input_names: frozenset[str], where: str) -> Expression:
    try:
        compile_code(source, "eval", where)  # refuse bad pack code when the table loads, not mid-case
    except SandboxViolation as exc:
        raise PackError(f"{where}: ‘{source}’: {exc.message}") from exc
    tree = ast.parse(source, mode="eval")
    names = frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name)) & input_names
    return Expression(source, names)


class TableEvaluator:
    """Evaluates a table with the contract's null semantics.

    - A cell (or output expression) that reads a null input does not match (is null), unless
      the input's null has a stated meaning (``NULL_MEANINGFUL``).
    - A grant rule matches only when no refusal rule might still apply to this case: a refusal
      rule whose cells on present inputs all hold but which reads a null input blocks the grant.
      Refusal rules excluded by a present input (another doelgroep, soort, context or
      instrument) do not.
    """

    def __init__(self, table: DecisionTable, env: SandboxedEnvironment | None = None) -> None:
        self.table = table
        self.env = env or SandboxedEnvironment()
        self._names = frozenset(clause.name for clause in table.inputs)
        self._cells = [self._compile_cells(rule) for rule in table.rules]
        self._outputs = [self._compile_outputs(rule) for rule in table.rules]
        self._kind = [_grant_kind(table, rule) for rule in table.rules]
        self._columns = table.columns()
        self._name = f"{table.id} ({table.path.name})"

    def _compile_cells(self, rule: Rule) -> list[Expression | None]:
        where = f"{self.table.path} regel {rule.id}"
        return [
            None if text is None else _expression(cell_source(clause.name, text), self._names, where)
            for clause, text in zip(self.table.inputs, rule.cells, strict=True)
        ]

    def _compile_outputs(self, rule: Rule) -> list[Expression | None]:
        where = f"{self.table.path} regel {rule.id}"
        return [None if text is None else _expression(text, self._names, where) for text in rule.outputs]

    def evaluate(self, inputs: dict[str, Any]) -> Evaluation:
        status = [self._rule_status(index, inputs) for index in range(len(self.table.rules))]
        blocked = self._refusal_undetermined(status)
        fired = [index for index, matched in enumerate(status)
                 if matched is True and not (blocked and self._kind[index] == "grant")]
        if self.table.hit_policy == "FIRST":
            fired = fired[:1]  # the later rules' outputs are never computed
        hits = [Hit(self.table.rules[index].id, self._row(index, inputs)) for index in fired]
        try:
            outcome = apply(self.table.hit_policy, self.table.aggregation, self._columns, hits, self._name)
        except DecisionConflict as exc:
            raise PackError(str(exc)) from exc
        return Evaluation(outcome.columns, tuple(self.table.rules[i] for i in fired), outcome.used,
                          outcome.explanation)

    def _rule_status(self, index: int, inputs: dict[str, Any]) -> bool | None:
        """True: every cell holds. False: some cell fails. None: undecided (a needed input is null)."""
        undecided = False
        for cell in self._cells[index]:
            if cell is None:
                continue
            if _reads_null(cell, inputs):
                undecided = True
            elif not self.env.evaluate(cell.source, dict(inputs)):
                return False
        return None if undecided else True

    def _refusal_undetermined(self, status: list[bool | None]) -> bool:
        return any(
            kind == "refusal" and state is None for kind, state in zip(self._kind, status, strict=True)
        )

    def _row(self, index: int, inputs: dict[str, Any]) -> dict[str, Any]:
        row = {}
        for clause, expression in zip(self.table.outputs, self._outputs[index], strict=True):
            if expression is None or _reads_null(expression, inputs):
                value = None
            else:
                value = self.env.evaluate(expression.source, dict(inputs))
            row[clause.name] = coerce_output(clause.name, clause.type, value)
        return row


def _reads_null(expression: Expression, inputs: dict[str, Any]) -> bool:
    return any(inputs[name] is None for name in expression.names - NULL_MEANINGFUL)


def _grant_kind(table: DecisionTable, rule: Rule) -> str | None:
    for clause, text in zip(table.outputs, rule.outputs, strict=True):
        if clause.name in GRANT_OUTPUTS and text == "True":
            return "grant"
        if clause.name in GRANT_OUTPUTS and text == "False":
            return "refusal"
    return None

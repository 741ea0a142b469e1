"""A decision table whose cells are FEEL, compiled once: which rules match a context, and what
each rule outputs. Compilation errors name the rule and column (validation shows them)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.dmn.feel import FeelError, compile_expression, compile_unary_tests
from engine.dmn.feel.compiler import Fn, Test
from engine.dmn.hit_policy import Hit
from engine.dmn.table import TableSpec


class CellError(FeelError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def _spaced_names(spec: TableSpec, names: tuple[str, ...]) -> list[str]:
    """Input expressions that are a name with spaces (``Monthly Salary``): words alone do not
    parse, so those that do not are names the cells may use too."""
    found = []
    for clause in spec.inputs:
        if " " in clause.expression and _NAME_WITH_SPACES.fullmatch(clause.expression):
            try:
                compile_expression(clause.expression, names)
            except FeelError:
                found.append(clause.expression)
    return found


_NAME_WITH_SPACES = re.compile(r"[^\W\d][\w' ]*[\w']")


@dataclass(frozen=True)
class _Rule:
    id: str
    tests: tuple[Test, ...]
    outputs: tuple[Fn | None, ...]


class FeelTable:
    def __init__(self, spec: TableSpec, names: tuple[str, ...] = (),
                 functions: tuple[str, ...] = ()) -> None:
        """``names``: the names with spaces the table may read (input data, decision names);
        ``functions``: business knowledge models its cells may call."""
        self.spec = spec
        self.functions = functions
        known = (*names, *_spaced_names(spec, names))
        self.inputs = tuple(self._input(index, known) for index in range(len(spec.inputs)))
        self.rules = tuple(self._rule(index, known) for index in range(len(spec.rules)))
        self.output_names = tuple(clause.name for clause in spec.outputs)
        self.defaults = self._defaults(known)

    def _defaults(self, known: tuple[str, ...]) -> tuple[Fn | None, ...] | None:
        """The outputs' defaultOutputEntry, compiled; None when no output has one."""
        if all(clause.default is None for clause in self.spec.outputs):
            return None
        try:
            return tuple(None if clause.default is None
                         else compile_expression(clause.default, known, self.functions)
                         for clause in self.spec.outputs)
        except FeelError as exc:
            raise CellError(f"standaarduitkomst (defaultOutputEntry): {exc}", self.spec.line) from None

    def default_outputs(self, context: Mapping[str, Any]) -> dict[str, Any] | None:
        """What the table answers when no rule matches (DMN 1.5, 8.3.2), or None: no defaults."""
        if self.defaults is None:
            return None
        return {name: None if fn is None else fn(context, None)
                for name, fn in zip(self.output_names, self.defaults, strict=True)}

    def _input(self, index: int, known: tuple[str, ...]) -> Fn:
        clause = self.spec.inputs[index]
        if not clause.expression:
            label = clause.label or "zonder naam"
            raise CellError(f"invoer {index + 1} ({label}) heeft geen invoerexpressie", self.spec.line)
        try:
            return compile_expression(clause.expression, known, self.functions)
        except FeelError as exc:
            raise CellError(f"invoerexpressie {index + 1}: {exc}", self.spec.line) from None

    def _rule(self, index: int, known: tuple[str, ...]) -> _Rule:
        row = self.spec.rules[index]
        counts = (len(row.input_entries), len(row.output_entries))
        expected = (len(self.spec.inputs), len(self.spec.outputs))
        if counts != expected:
            raise CellError(f"regel {row.id} heeft {counts[0]}/{counts[1]} cellen, "
                            f"verwacht {expected[0]}/{expected[1]}", row.line)
        try:
            tests = tuple(compile_unary_tests(text or "-", known, self.functions)
                          for text in row.input_entries)
            outputs = tuple(None if text is None else compile_expression(text, known, self.functions)
                            for text in row.output_entries)
        except FeelError as exc:
            raise CellError(f"regel {row.id}: {exc}", row.line) from None
        return _Rule(row.id, tests, outputs)

    def input_values(self, context: Mapping[str, Any]) -> list[Any]:
        return [evaluate(context, None) for evaluate in self.inputs]

    def hits(self, context: Mapping[str, Any], values: list[Any] | None = None) -> list[Hit]:
        """Every rule that matches, in rule order, with its output values."""
        values = self.input_values(context) if values is None else values
        found = []
        for rule in self.rules:
            if all(test(value, context) is True for test, value in zip(rule.tests, values, strict=True)):
                outputs = {name: None if fn is None else fn(context, None)
                           for name, fn in zip(self.output_names, rule.outputs, strict=True)}
                found.append(Hit(rule.id, outputs))
        return found

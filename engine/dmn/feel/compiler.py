"""FEEL text -> a Python closure, through lark's parse tree: never ``eval`` of text.

``compile_expression`` gives ``fn(context, input) -> value``; ``compile_unary_tests`` gives
``test(input, context) -> bool`` (True: the cell matches). ``input`` is the value ``?`` stands for.
Parse errors and unknown functions raise ``FeelError`` with a Dutch message.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from engine.dmn.feel import values as v
from engine.dmn.feel.functions import FUNCTIONS, SPACED
from engine.dmn.feel.names import protect

if TYPE_CHECKING:  # lark is imported when a FEEL text is first compiled, not with the engine
    from lark import Lark, Token, Tree

Fn = Callable[[Mapping[str, Any], Any], Any]
Test = Callable[[Any, Mapping[str, Any]], bool]
_GRAMMAR = Path(__file__).with_name("grammar.lark")


class FeelError(ValueError):
    """FEEL text that cannot be read or uses what trede does not run (Dutch message)."""


@cache
def _parser() -> Lark:
    from lark import Lark

    return Lark(_GRAMMAR.read_text(), start=["expression", "positive_unary_tests"], parser="lalr")


def compile_expression(text: str, names: Iterable[str] = (), functions: Iterable[str] = ()) -> Fn:
    """``functions``: names of functions the context provides at run time (business knowledge
    models of a decision requirements diagram), callable like FEEL's own."""
    return _Compiler(text, names, functions).expression()


def compile_unary_tests(text: str, names: Iterable[str] = (), functions: Iterable[str] = ()) -> Test:
    stripped = text.strip()
    if stripped in ("", "-"):
        return lambda value, context: True
    inner = _negated(stripped)
    if inner is not None:
        tests = _Compiler(inner, names, functions).unary_tests()

        def negated(value: Any, context: Mapping[str, Any]) -> bool:
            return tests(value, context) is False
        return negated
    return _Compiler(stripped, names, functions).unary_tests()


def _negated(text: str) -> str | None:
    """The tests inside ``not( ... )`` when the whole cell is one not(...), else None."""
    if not (text.startswith("not") and text[3:].lstrip().startswith("(") and text.endswith(")")):
        return None
    inner = text[3:].lstrip()[1:-1]
    depth = 0
    for char in inner:  # "not(a) and not(b)" is an expression, not one negated test list
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return None
    return inner


class _Compiler:
    def __init__(self, text: str, names: Iterable[str], functions: Iterable[str] = ()) -> None:
        self.source = text
        self.functions = frozenset(functions)
        self.text, self.names = protect(text, [*names, *self.functions, *SPACED])

    def _parse(self, start: str) -> Tree[Token]:
        from lark.exceptions import UnexpectedInput

        try:
            return _parser().parse(self.text, start=start)
        except UnexpectedInput as exc:
            column = getattr(exc, "column", None)
            where = f" bij teken {column}" if isinstance(column, int) and column > 0 else ""
            raise FeelError(f"FEEL {self.source!r} is niet te lezen{where}") from None

    def expression(self) -> Fn:
        return self._node(self._parse("expression"))

    def unary_tests(self) -> Test:
        tests = [self._test(_tree(child)) for child in self._parse("positive_unary_tests").children]

        def any_test(value: Any, context: Mapping[str, Any]) -> bool:
            return any(test(value, context) is True for test in tests)
        return any_test

    def _test(self, node: Tree[Token]) -> Callable[[Any, Mapping[str, Any]], bool | None]:
        if node.data == "compare_test":
            operator, endpoint = str(node.children[0]), self._node(node.children[1])
            return lambda value, context: v.compare(operator, value, endpoint(context, value))
        if node.data in _INTERVALS:
            return self._interval(node)
        expression = self._node(node.children[0])
        if _uses_input(node.children[0]):
            return lambda value, context: expression(context, value) is True
        return lambda value, context: _matches(value, expression(context, value))

    def _interval(self, node: Tree[Token]) -> Callable[[Any, Mapping[str, Any]], bool | None]:
        low_op, high_op = _INTERVALS[node.data]
        low, high = self._node(node.children[0]), self._node(node.children[1])

        def inside(value: Any, context: Mapping[str, Any]) -> bool | None:
            return _and(v.compare(low_op, value, low(context, value)),
                        v.compare(high_op, value, high(context, value)))
        return inside

    def _node(self, node: Tree[Token] | Token) -> Fn:
        if not _is_tree(node):  # a Token: the grammar gives none where a value belongs
            raise FeelError(f"FEEL {self.source!r}: onverwacht {node!s}")
        handler = getattr(self, f"_{node.data}", None)
        if handler is None:
            raise FeelError(f"FEEL {self.source!r}: {node.data} wordt niet ondersteund")
        compiled: Fn = handler(*node.children)
        return compiled

    # --- literals and names
    def _number(self, token: Token) -> Fn:
        value = v.number(str(token))
        return lambda context, value_: value

    def _string(self, token: Token) -> Fn:
        value = _unquote(str(token))
        return lambda context, value_: value

    def _true(self) -> Fn:
        return lambda context, value_: True

    def _false(self) -> Fn:
        return lambda context, value_: False

    def _null(self) -> Fn:
        return lambda context, value_: None

    def _input(self) -> Fn:
        return lambda context, value: value

    def _name(self, token: Token) -> Fn:
        name = self.names.get(str(token), str(token))
        return lambda context, value: v.to_feel(context.get(name))

    def _path(self, base: Tree[Token], token: Token) -> Fn:
        of, key = self._node(base), self.names.get(str(token), str(token))
        return lambda context, value: _member(of(context, value), key)

    def _list_(self, *items: Tree[Token] | None) -> Fn:
        parts = [self._node(item) for item in items if item is not None]
        return lambda context, value: [part(context, value) for part in parts]

    def _call(self, token: Token, *args: Tree[Token] | None) -> Fn:
        name = self.names.get(str(token), str(token))
        parts = [self._node(arg) for arg in args if arg is not None]
        if name in self.functions:
            return self._call_provided(name, parts)
        function = FUNCTIONS.get(name)
        if function is None:
            raise FeelError(f"FEEL {self.source!r}: functie {name!r} wordt niet ondersteund")

        def call(context: Mapping[str, Any], value: Any = None) -> Any:
            try:
                return function(*(part(context, value) for part in parts))
            except (TypeError, ValueError, ArithmeticError):
                return None  # a FEEL function given the wrong arguments is null
        return call

    def _named_call(self, token: Token, *arguments: Tree[Token]) -> Fn:
        """``f(a: 1, b: 2)``: only for the functions the context provides (business knowledge
        models, whose parameters have names); FEEL's own take their arguments in order here."""
        name = self.names.get(str(token), str(token))
        if name not in self.functions:
            raise FeelError(f"FEEL {self.source!r}: functie {name!r} met benoemde argumenten wordt niet "
                            "ondersteund; geef de argumenten in volgorde")
        named = [(self.names.get(str(arg.children[0]), str(arg.children[0])), self._node(arg.children[1]))
                 for arg in arguments]

        def call(context: Mapping[str, Any], value: Any = None) -> Any:
            function = context.get(name)
            if not callable(function):
                return None
            return function(**{key: part(context, value) for key, part in named})
        return call

    def _call_provided(self, name: str, parts: list[Fn]) -> Fn:
        """A call of a function the context holds (a business knowledge model): its own errors
        (a refused table, a UNIQUE conflict) are the caller's, not a null."""
        def call(context: Mapping[str, Any], value: Any = None) -> Any:
            function = context.get(name)
            if not callable(function):
                return None
            return function(*(part(context, value) for part in parts))
        return call

    # --- operators
    def _binary(self, op: Callable[[Any, Any], Any], left: Tree[Token], right: Tree[Token]) -> Fn:
        a, b = self._node(left), self._node(right)
        return lambda context, value: op(a(context, value), b(context, value))

    def _add(self, left: Tree[Token], right: Tree[Token]) -> Fn:
        return self._binary(v.add, left, right)

    def _sub(self, left: Tree[Token], right: Tree[Token]) -> Fn:
        return self._binary(v.subtract, left, right)

    def _mul(self, left: Tree[Token], right: Tree[Token]) -> Fn:
        return self._binary(v.multiply, left, right)

    def _div(self, left: Tree[Token], right: Tree[Token]) -> Fn:
        return self._binary(v.divide, left, right)

    def _pow(self, left: Tree[Token], right: Tree[Token]) -> Fn:
        return self._binary(v.power, left, right)

    def _neg(self, operand: Tree[Token]) -> Fn:
        inner = self._node(operand)
        return lambda context, value: v.negate(inner(context, value))

    def _compare(self, left: Tree[Token], operator: Token, right: Tree[Token]) -> Fn:
        op = str(operator)
        return self._binary(lambda a, b: v.compare(op, a, b), left, right)

    def _between(self, subject: Tree[Token], low: Tree[Token], high: Tree[Token]) -> Fn:
        x, lo, hi = self._node(subject), self._node(low), self._node(high)

        def between(context: Mapping[str, Any], value: Any = None) -> Any:
            item = x(context, value)
            return _and(v.compare(">=", item, lo(context, value)), v.compare("<=", item, hi(context, value)))
        return between

    def _and_(self, left: Tree[Token], right: Tree[Token]) -> Fn:
        return self._binary(_and, left, right)

    def _or_(self, left: Tree[Token], right: Tree[Token]) -> Fn:
        return self._binary(_or, left, right)

    def _not_(self, operand: Tree[Token]) -> Fn:
        inner = self._node(operand)

        def negation(context: Mapping[str, Any], value: Any = None) -> Any:
            result = inner(context, value)
            return (not result) if isinstance(result, bool) else None
        return negation

    def _if_(self, condition: Tree[Token], then: Tree[Token], otherwise: Tree[Token]) -> Fn:
        test, yes, no = self._node(condition), self._node(then), self._node(otherwise)
        return lambda context, value: (yes if test(context, value) is True else no)(context, value)

    def _in_test(self, subject: Tree[Token], test_node: Tree[Token]) -> Fn:
        x, test = self._node(subject), self._test(test_node)
        return lambda context, value: test(x(context, value), context)

    def _in_tests(self, subject: Tree[Token], tests_node: Tree[Token]) -> Fn:
        x, tests = self._node(subject), [self._test(_tree(child)) for child in tests_node.children]

        def within(context: Mapping[str, Any], value: Any = None) -> Any:
            item = x(context, value)
            return any(test(item, context) is True for test in tests)
        return within

    def _in_list(self, subject: Tree[Token], *items: Tree[Token] | None) -> Fn:
        x, parts = self._node(subject), [self._node(item) for item in items if item is not None]

        def within(context: Mapping[str, Any], value: Any = None) -> Any:
            item = x(context, value)
            return any(v.equal(item, part(context, value)) is True for part in parts)
        return within


_INTERVALS = {
    "closed_closed": (">=", "<="), "closed_open": (">=", "<"),
    "open_closed": (">", "<="), "open_open": (">", "<"),
}


def _uses_input(node: Tree[Token] | Token) -> bool:
    return _is_tree(node) and (node.data == "input" or any(_uses_input(c) for c in node.children))


def _is_tree(node: Tree[Token] | Token) -> TypeGuard[Tree[Token]]:
    """A tree, not a token (by shape: lark itself is imported only when FEEL is first compiled)."""
    return hasattr(node, "data")


def _tree(node: Tree[Token] | Token) -> Tree[Token]:
    if not _is_tree(node):
        raise FeelError(f"FEEL: onverwacht {node!s}")
    return node


def _matches(value: Any, expected: Any) -> bool | None:
    if isinstance(expected, list) and not isinstance(value, list):
        return any(v.equal(value, item) is True for item in expected)
    return v.equal(value, expected)


def _and(a: Any, b: Any) -> bool | None:
    if a is False or b is False:
        return False
    return True if a is True and b is True else None


def _or(a: Any, b: Any) -> bool | None:
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


def _member(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return v.to_feel(value.get(key))
    if isinstance(value, date) and key in ("year", "month", "day"):
        return v.number(str(getattr(value, key)))
    return None


def _unquote(token: str) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return body
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape")

"""Compiling model code (scripts, conditions, timer and DMN expressions) with RestrictedPython.

RestrictedPython already rewrites attribute access, item access, iteration and writes into guard
calls and refuses names that start with ``_``. This policy adds what a process engine needs:
no imports at all, no access to the clock, tick calls for the CPU budget and guarded operators for
the size limits (see ``engine.sandbox.limits``).
"""
from __future__ import annotations

import ast
import re
import types
from functools import lru_cache
from typing import cast

from RestrictedPython.compile import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations

from engine.sandbox.explain import refusal, syntax_error

# Builtins an attacker reaches for first: refused at compile time with a clear message rather
# than a NameError when a case reaches the node.
FORBIDDEN_NAMES = frozenset({
    "eval", "exec", "compile", "globals", "locals", "vars", "open", "getattr", "setattr",
    "delattr", "breakpoint", "input", "help", "dir", "super", "memoryview", "exit", "quit",
    "print", "__import__",
})
# Reading the clock breaks deterministic replay: models get dates from task data.
CLOCK_ATTRIBUTES = frozenset({"now", "today", "utcnow"})
# str.format can walk attributes inside the format string ('{0.__class__}'); f-strings cannot.
FORMAT_ATTRIBUTES = frozenset({"format", "format_map"})
_GUARDED_OPS = {ast.Mult: "_mul_", ast.Pow: "_pow_", ast.LShift: "_lshift_", ast.Mod: "_mod_"}


class SandboxViolation(Exception):
    """Model code refused at compile time; ``lineno`` is 1-based within the code."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message if lineno is None else f"regel {lineno}: {message}")
        self.message = message
        self.lineno = lineno
        self.dutch = message  # read by engine.sandbox.explain.describe


# The nodes RestrictedPython's copy_locations takes: those that carry a source position.
_Located = ast.expr | ast.stmt


def _call(name: str, node: _Located, *args: ast.expr) -> ast.Call:
    call = ast.Call(func=ast.Name(name, ast.Load()), args=list(args), keywords=[])
    copy_locations(call, node)
    return call


def _tick_stmt(node: _Located) -> ast.Expr:
    stmt = ast.Expr(_call("_tick_", node))
    copy_locations(stmt, node)
    return stmt


def _is_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


class SandboxPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus import/clock refusal, CPU ticks and size-guarded operators.

    RestrictedPython types its visitors as NodeTransformer's ``AST | Iterable[AST] | None``; for
    the nodes below it returns one node of the kind it was given, hence the casts.
    """

    def visit_Import(self, node: ast.Import) -> ast.AST:
        names = ", ".join(alias.name for alias in node.names)
        self.error(node, f"{_OWN}modules importeren mag niet in modelcode (import {names})")
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        self.error(node, f"{_OWN}modules importeren mag niet in modelcode (from {node.module} import ...)")
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.error(node, f"{_OWN}klassen definiëren mag niet in modelcode (class {node.name})")
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in FORBIDDEN_NAMES:
            self.error(node, f"{_OWN}‘{node.id}’ mag niet in modelcode")
            return node
        return cast(ast.AST, super().visit_Name(node))

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if node.attr in CLOCK_ATTRIBUTES:
            self.error(node, f"{_OWN}‘.{node.attr}’ leest de klok, en dat mag niet in modelcode: "
                             "gebruik datums uit de zaakgegevens")
            return node
        if node.attr in FORMAT_ATTRIBUTES:
            self.error(node, f"{_OWN}‘.{node.attr}’ mag niet in modelcode: gebruik een f-string")
            return node
        return cast(ast.AST, super().visit_Attribute(node))

    def visit_For(self, node: ast.For) -> ast.AST:
        node = cast(ast.For, super().visit_For(node))
        node.body.insert(0, _tick_stmt(node))
        return node

    def visit_While(self, node: ast.While) -> ast.AST:
        node = cast(ast.While, super().visit_While(node))
        node.body.insert(0, _tick_stmt(node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node = cast(ast.FunctionDef, super().visit_FunctionDef(node))
        node.body.insert(0, _tick_stmt(node))
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        node = cast(ast.Lambda, super().visit_Lambda(node))
        node.body = _call("_tick_", node.body, node.body)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = cast(ast.BinOp, super().visit_BinOp(node))
        name = _GUARDED_OPS.get(type(node.op))
        if name is None and isinstance(node.op, ast.Add):
            # Adding a number can never build a huge value; only sequence + sequence can.
            if not (_is_number(node.left) or _is_number(node.right)):
                name = "_add_"
        if name is None:
            return node
        return _call(name, node, node.left, node.right)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        # f'{x!r:>{w}}' -> f'{_format_(x, f"{w}", 114)}': the width and the text are checked.
        node = cast(ast.FormattedValue, super().visit_FormattedValue(node))
        spec = node.format_spec if node.format_spec is not None else ast.Constant("")
        conversion = ast.Constant(node.conversion)
        copy_locations(spec, node)
        copy_locations(conversion, node)
        node.value = _call("_format_", node, node.value, spec, conversion)
        node.format_spec = None
        node.conversion = -1
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # The fields are bounded one by one; the joined result is checked once more.
        node = cast(ast.JoinedStr, super().visit_JoinedStr(node))
        return _call("_checked_str_", node, node)


_LINE = re.compile(r"^Line (\d+|None): (.*)$", re.S)
# Our own refusals (SandboxPolicy above) are Dutch already; RestrictedPython's are translated.
_OWN = "\x00"
_UNREADABLE = "de code kan niet worden gelezen (te diep genest of met ongeldige tekens)"


def _violation(error: str) -> SandboxViolation:
    match = _LINE.match(error)
    text, line = (match.group(2), match.group(1)) if match else (error, "None")
    message = text[len(_OWN):] if text.startswith(_OWN) else refusal(text)
    return SandboxViolation(message, None if line == "None" else int(line))


@lru_cache(maxsize=8192)
def _compile(source: str, mode: str, filename: str) -> types.CodeType:
    compiler = compile_restricted_exec if mode == "exec" else compile_restricted_eval
    try:
        ast.parse(source, filename, mode)  # Python's own reading first: its position, in Dutch
    except SyntaxError as exc:
        raise SandboxViolation(syntax_error(exc.msg, None, exc.text), exc.lineno) from None
    except (ValueError, TypeError, RecursionError, MemoryError):  # e.g. NUL bytes, deep nesting
        raise SandboxViolation(_UNREADABLE) from None
    try:
        result = compiler(source, filename=filename, policy=SandboxPolicy)
    except (ValueError, TypeError, RecursionError, MemoryError):
        raise SandboxViolation(_UNREADABLE) from None
    if result.errors:
        raise _violation(result.errors[0])
    assert result.code is not None  # RestrictedPython returns code whenever it reports no error
    return result.code


def compile_code(source: str, mode: str = "exec", filename: str = "<model>") -> types.CodeType:
    """Compile model code in the sandbox (cached); raises ``SandboxViolation`` with the line."""
    if mode not in ("exec", "eval"):
        raise ValueError(f"mode must be 'exec' or 'eval', not {mode!r}")
    if not isinstance(source, str):
        raise SandboxViolation("modelcode moet tekst zijn")
    return _compile(source, mode, filename)


def check_code(source: str, mode: str = "exec") -> None:
    """Compile only: raise ``SandboxViolation`` when the code would be refused."""
    compile_code(source, mode)

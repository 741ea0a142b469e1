"""FEEL for decision tables (S-FEEL and simple expressions), parsed with lark and compiled to
Python closures that are evaluated directly; see ``compiler``."""
from engine.dmn.feel.compiler import FeelError, compile_expression, compile_unary_tests

__all__ = ["FeelError", "compile_expression", "compile_unary_tests"]

"""FEEL as decision tables use it (DMN 1.5 chapter 9 S-FEEL, and the simple expressions of
chapter 10): parsed by lark into closures, never eval'd. Issue 21 item 1."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from engine.dmn.feel import FeelError, compile_expression, compile_unary_tests
from engine.dmn.feel.values import Months


def matches(cell: str, value, context=None, names=()) -> bool:
    return compile_unary_tests(cell, names)(value, context or {})


def value_of(text: str, context=None, names=()):
    return compile_expression(text, names)(context or {}, None)


@pytest.mark.parametrize("cell, value, expected", [
    ("< 18", 17, True), ("< 18", 18, False), (">= 18", Decimal("18"), True), ("= 5", 5, True),
    ("!= 5", 5, False),
    ("[1..10)", 1, True), ("[1..10)", 10, False), ("(1..10]", 1, False), ("(1..10]", 10, True),
    ("]1..10[", 5, True), ("]1..10[", 10, False),
    ('"a", "b"', "b", True), ('"a", "b"', "c", False), ("1, 2, 3", 2, True),
    ('not("a", "b")', "c", True), ('not("a", "b")', "a", False), ("not([1..5])", 7, True),
    ("-", None, True), ("-", "anything", True), ("", 3, True),
    ("null", None, True), ("null", 3, False), ("< 18", None, False), ("not(null)", 3, True),
    ("true", True, True), ("true", False, False), ("false", False, True),
    ('date("2025-01-01")', date(2025, 1, 1), True),
    ('[date("2025-01-01")..date("2025-12-31")]', date(2025, 6, 1), True),
    ('> duration("P6M")', Months(7), True),
    ("? > 3 and ? < 5", 4, True), ("<= limiet", 10, True), ("> limiet * 2", 10, False),
])
def test_unary_tests(cell, value, expected):
    assert matches(cell, value, {"limiet": 10}) is expected


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 / 4", Decimal("2.5")), ("2 ** 10", 1024), ("-2 ** 2", 4),
    ("10 / 0", None), ("10 + null", None), ('"a" + "b"', "ab"), ("0.1 + 0.2", Decimal("0.3")),
    ("1 < 2", True), ("1 = 1", True), ('1 = "1"', None), ("null = null", True),
    ("true and null", None), ("false and null", False), ("true or null", True), ("not(true)", False),
    ("3 between 1 and 5", True), ("3 in [1..5]", True), ("3 in (1, 2)", False), ("3 in [1, 3]", True),
    ('date("2025-01-31") + duration("P1M")', date(2025, 2, 28)),
    ('date("2025-01-01") + duration("P10D")', date(2025, 1, 11)),
    ('date("2025-03-01") - date("2025-01-01")', timedelta(days=59)),
    ('date("2025-01-01").year', 2025), ('if 1 > 2 then "ja" else "nee"', "nee"),
    ('string length("abc")', 3), ("decimal(2.345, 2)", Decimal("2.34")), ("sum([1, 2, 3])", 6),
])
def test_expressions(text, expected):
    assert value_of(text) == expected


def test_names_with_spaces_and_paths():
    context = {"Monthly Salary": 1000, "Aanvrager": {"netto inkomen": 800, "leeftijd": 30}}
    assert value_of("12 * Monthly Salary", context, ["Monthly Salary"]) == 12000
    assert value_of("Aanvrager.leeftijd + 1", context) == 31
    assert value_of("Aanvrager.netto inkomen", context, ["netto inkomen"]) == 800
    assert value_of('"Monthly Salary"', context, ["Monthly Salary"]) == "Monthly Salary"  # not in strings


def test_case_data_numbers_become_exact_decimals():
    assert value_of("bedrag * 3", {"bedrag": 0.1}) == Decimal("0.3")


@pytest.mark.parametrize("text, fragment", [
    ("1 +", "is niet te lezen"), ("today()", "functie 'today' wordt niet ondersteund"),
    ('__import__("os")', "functie '__import__' wordt niet ondersteund"),
])
def test_what_cannot_be_read_or_run_is_refused_in_dutch(text, fragment):
    with pytest.raises(FeelError, match=fragment.replace("(", r"\(")):
        compile_expression(text)

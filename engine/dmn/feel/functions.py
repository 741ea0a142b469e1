"""The built-in FEEL functions a decision table may call (a subset of DMN 1.5, 10.3.4).

Left out on purpose: ``today()`` and ``now()`` (a decision must give the same answer when a
case is replayed; use the case's peildatum as an input instead). A function not listed here is
refused when the table is validated, naming it.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from engine.dmn.feel.values import (
    DECIMAL128,
    is_number,
    parse_date,
    parse_date_time,
    parse_duration,
)


def _date(*args: Any) -> Any:
    if len(args) == 3 and all(is_number(arg) for arg in args):
        from datetime import date
        try:
            return date(*(int(arg) for arg in args))
        except ValueError:
            return None
    return parse_date(args[0]) if len(args) == 1 else None


def _number(text: Any) -> Any:
    if is_number(text):
        return Decimal(text)
    try:
        return Decimal(text) if isinstance(text, str) and text.strip() else None
    except InvalidOperation:
        return None


def _string(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value)


def _round(mode: str) -> Callable[..., Any]:
    def rounded(value: Any, scale: Any = Decimal(0)) -> Any:
        if not (is_number(value) and is_number(scale)):
            return None
        return Decimal(value).quantize(Decimal(1).scaleb(-int(scale)), rounding=mode, context=DECIMAL128)
    return rounded


def _items(args: tuple[Any, ...]) -> list[Any] | None:
    items = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
    return None if any(item is None for item in items) else items


def _sum(*args: Any) -> Any:
    items = _items(args)
    if items is None or not all(is_number(item) for item in items):
        return None
    return sum((Decimal(item) for item in items), Decimal(0)) if items else None


def _min_max(pick: Callable[..., Any]) -> Callable[..., Any]:
    def chosen(*args: Any) -> Any:
        items = _items(args)
        try:
            return pick(items) if items else None
        except TypeError:
            return None
    return chosen


def _text(fn: Callable[..., Any]) -> Callable[..., Any]:
    def on_strings(*args: Any) -> Any:
        return fn(*args) if all(isinstance(arg, str) for arg in args) else None
    return on_strings


def _substring(text: Any, start: Any, length: Any = None) -> Any:
    if not isinstance(text, str) or not is_number(start):
        return None
    begin = int(start) - 1 if start > 0 else len(text) + int(start)
    end = None if length is None else begin + int(length)
    return text[begin:end]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "date": _date,
    "date and time": lambda value: parse_date_time(value),
    "duration": parse_duration,
    "number": _number,
    "string": _string,
    "abs": lambda value: abs(value) if is_number(value) else None,
    "floor": _round(ROUND_FLOOR),
    "ceiling": _round(ROUND_CEILING),
    "decimal": _round(ROUND_HALF_EVEN),
    "sum": _sum,
    "min": _min_max(min),
    "max": _min_max(max),
    "count": lambda items: Decimal(len(items)) if isinstance(items, list) else None,
    "string length": lambda text: Decimal(len(text)) if isinstance(text, str) else None,
    "upper case": _text(str.upper),
    "lower case": _text(str.lower),
    "contains": _text(lambda text, part: part in text),
    "starts with": _text(lambda text, part: text.startswith(part)),
    "ends with": _text(lambda text, part: text.endswith(part)),
    "substring": _substring,
}
# Function names with spaces, recognised before parsing like names with spaces.
SPACED = tuple(name for name in FUNCTIONS if " " in name)

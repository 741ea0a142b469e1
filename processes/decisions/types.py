"""Typing of decision inputs and outputs: what a caller may pass and how results are printed.

Input types (``typeRef`` of a DMN input expression): boolean, integer, number, string, date.
Output types add ``money`` (Decimal euros, half-up to cents) and ``percentage`` (whole number).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from processes.decisions.errors import DecisionError
from processes.decisions.money import money_to_json, to_money

INPUT_TYPES = frozenset({"boolean", "integer", "number", "string", "date"})
OUTPUT_TYPES = INPUT_TYPES | {"money", "percentage"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def default_for(type_ref: str) -> Any:
    """The contract's default for a left-out input: false for booleans, null otherwise."""
    return False if type_ref == "boolean" else None


def coerce_input(name: str, type_ref: str, value: Any) -> Any:
    """Check one given input value against its type; dates become ``date``, numbers ``Decimal``."""
    if value is None:
        return None
    if type_ref == "boolean" and isinstance(value, bool):
        return value
    if type_ref == "string" and isinstance(value, str):
        return value
    if type_ref in ("integer", "number") and isinstance(value, (int, float, Decimal)) \
            and not isinstance(value, bool):
        return _number(name, type_ref, value)
    if type_ref == "date" and isinstance(value, (str, date)):
        return _date(name, value)
    raise DecisionError(f"input {name!r} must be {_describe(type_ref)}, got {_json_type(value)} {value!r}")


def _number(name: str, type_ref: str, value: int | float | Decimal) -> int | Decimal:
    # Decimal arrives from forms and from models' own arithmetic; it is as good a number as a float.
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if not exact.is_finite():
        raise DecisionError(f"input {name!r} must be a finite number, got {value!r}")
    if type_ref == "number":
        return exact
    if exact != exact.to_integral_value():
        raise DecisionError(f"input {name!r} must be a whole number, got {value!r}")
    return int(exact)


def _date(name: str, value: str | date) -> date:
    if isinstance(value, date):
        return value
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DecisionError(f"input {name!r} must be a date as YYYY-MM-DD, got {value!r}")


def _describe(type_ref: str) -> str:
    return {
        "boolean": "true or false",
        "integer": "a whole number",
        "number": "a number",
        "string": "a string",
        "date": "a date string YYYY-MM-DD",
    }[type_ref]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def coerce_output(name: str, type_ref: str, value: Any) -> Any:
    """Bring a computed output to its declared type (money to cents, percentages to whole numbers)."""
    if value is None:
        return None
    if type_ref == "money":
        return to_money(value)
    if type_ref in ("integer", "percentage"):
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"output {name!r} must be a whole number, got {value!r}")
        return int(value)
    if type_ref == "number":
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if type_ref == "date" and not isinstance(value, date):
        raise ValueError(f"output {name!r} must be a date, got {value!r}")
    if type_ref == "boolean" and not isinstance(value, bool):
        raise ValueError(f"output {name!r} must be true or false, got {value!r}")
    if type_ref == "string" and not isinstance(value, str):
        raise ValueError(f"output {name!r} must be a string, got {value!r}")
    return value


def to_json_value(value: Any) -> Any:
    """JSON-safe form of a service value: dates as YYYY-MM-DD, Decimals as JSON numbers."""
    if isinstance(value, Decimal):
        return money_to_json(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json_value(item) for key, item in value.items()}
    return value

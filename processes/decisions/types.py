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
    raise DecisionError(f"invoer {name!r} moet {_describe(type_ref)} zijn, "
                        f"niet {_json_type(value)} {value!r}")


def _number(name: str, type_ref: str, value: int | float | Decimal) -> int | Decimal:
    # Decimal arrives from forms and from models' own arithmetic; it is as good a number as a float.
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if not exact.is_finite():
        raise DecisionError(f"invoer {name!r} moet een eindig getal zijn, niet {value!r}")
    if type_ref == "number":
        return exact
    if exact != exact.to_integral_value():
        raise DecisionError(f"invoer {name!r} moet een geheel getal zijn, niet {value!r}")
    return int(exact)


def _date(name: str, value: str | date) -> date:
    if isinstance(value, date):
        return value
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DecisionError(f"invoer {name!r} moet een datum zijn als JJJJ-MM-DD, niet {value!r}")


def _describe(type_ref: str) -> str:
    return {
        "boolean": "waar of onwaar (true/false)",
        "integer": "een geheel getal",
        "number": "een getal",
        "string": "een tekst",
        "date": "een datum als JJJJ-MM-DD",
    }[type_ref]


def _json_type(value: Any) -> str:
    """What the caller gave, in words (the message shows the value after it)."""
    if isinstance(value, bool):
        return "waar/onwaar"
    if isinstance(value, (int, float)):
        return "het getal"
    if isinstance(value, str):
        return "de tekst"
    if isinstance(value, list):
        return "de lijst"
    if isinstance(value, dict):
        return "het object"
    return "de waarde"


def coerce_output(name: str, type_ref: str, value: Any) -> Any:
    """Bring a computed output to its declared type (money to cents, percentages to whole numbers)."""
    if value is None:
        return None
    if type_ref == "money":
        return to_money(value)
    if type_ref in ("integer", "percentage"):
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"uitkomst {name!r} moet een geheel getal zijn, niet {value!r}")
        return int(value)
    if type_ref == "number":
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if type_ref == "date" and not isinstance(value, date):
        raise ValueError(f"uitkomst {name!r} moet een datum zijn, niet {value!r}")
    if type_ref == "boolean" and not isinstance(value, bool):
        raise ValueError(f"uitkomst {name!r} moet waar of onwaar zijn, niet {value!r}")
    if type_ref == "string" and not isinstance(value, str):
        raise ValueError(f"uitkomst {name!r} moet een tekst zijn, niet {value!r}")
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

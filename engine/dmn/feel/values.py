"""FEEL values in Python: numbers are Decimal (FEEL numbers are decimal128), null is None,
dates are ``date``, days-and-time durations ``timedelta``, years-and-months durations
``Months``. Operations on values of the wrong type give null, as FEEL says (DMN 1.5, 10.3.2)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from dateutil.relativedelta import relativedelta

DECIMAL128 = Context(prec=34)
_DURATION = re.compile(
    r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")


@dataclass(frozen=True, order=True)
class Months:
    """A years-and-months duration (``duration("P1Y6M")`` is 18 months)."""

    months: int

    def __str__(self) -> str:
        sign, months = ("-" if self.months < 0 else ""), abs(self.months)
        years, rest = divmod(months, 12)
        return f"{sign}P{f'{years}Y' if years else ''}{f'{rest}M' if rest or not years else ''}"


def to_feel(value: Any) -> Any:
    """A value from case data as FEEL sees it: floats and ints become Decimal."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list | tuple):
        return [to_feel(item) for item in value]
    if isinstance(value, dict):
        return {key: to_feel(item) for key, item in value.items()}
    return value


def number(text: str) -> Decimal:
    return Decimal(text)


def is_number(value: Any) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def parse_duration(text: Any) -> Months | timedelta | None:
    if not isinstance(text, str):
        return None
    found = _DURATION.fullmatch(text.strip())
    if found is None or text.strip() in ("P", "-P", "PT", "-PT"):
        return None
    sign = -1 if found.group(1) else 1
    years, months, days, hours, minutes = (int(part or 0) for part in found.groups()[1:6])
    seconds = float(found.group(7) or 0)
    if (years or months) and not (days or hours or minutes or seconds):
        return Months(sign * (years * 12 + months))
    if years or months:
        return None  # a duration of both kinds has no FEEL value
    return sign * timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def parse_date(text: Any) -> date | None:
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def parse_date_time(text: Any) -> datetime | None:
    if isinstance(text, datetime):
        return text
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def add(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if is_number(left) and is_number(right):
        return DECIMAL128.add(Decimal(left), Decimal(right))
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(right, date) and not isinstance(left, date):
        left, right = right, left
    if isinstance(left, date) and isinstance(right, Months):
        return left + relativedelta(months=right.months)
    if isinstance(left, date) and isinstance(right, timedelta):
        return left + right
    if isinstance(left, Months) and isinstance(right, Months):
        return Months(left.months + right.months)
    if isinstance(left, timedelta) and isinstance(right, timedelta):
        return left + right
    return None


def subtract(left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if is_number(left) and is_number(right):
        return DECIMAL128.subtract(Decimal(left), Decimal(right))
    if isinstance(left, date) and isinstance(right, Months):
        return left - relativedelta(months=right.months)
    if isinstance(left, date) and isinstance(right, timedelta):
        return left - right
    if type(left) is type(right) and isinstance(left, date):
        return left - right
    if isinstance(left, Months) and isinstance(right, Months):
        return Months(left.months - right.months)
    if isinstance(left, timedelta) and isinstance(right, timedelta):
        return left - right
    return None


def multiply(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right):
        return DECIMAL128.multiply(Decimal(left), Decimal(right))
    return None


def divide(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right) and right != 0:
        return DECIMAL128.divide(Decimal(left), Decimal(right))
    return None


def power(left: Any, right: Any) -> Any:
    if not (is_number(left) and is_number(right)):
        return None
    try:
        return DECIMAL128.power(Decimal(left), Decimal(right))
    except (InvalidOperation, ZeroDivisionError):
        return None


def negate(value: Any) -> Any:
    if is_number(value):
        return -Decimal(value)
    if isinstance(value, Months):
        return Months(-value.months)
    if isinstance(value, timedelta):
        return -value
    return None


def comparable(left: Any, right: Any) -> bool:
    if is_number(left) and is_number(right):
        return True
    if isinstance(left, datetime) or isinstance(right, datetime):
        return type(left) is type(right)
    return type(left) is type(right) and isinstance(left, str | date | Months | timedelta | bool)


def equal(left: Any, right: Any) -> bool | None:
    """FEEL ``=``: null equals only null; values of different types are not comparable (null)."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(equal(a, b) is True for a, b in zip(left, right, strict=True))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(equal(left[k], right[k]) is True for k in left)
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right if isinstance(left, bool) and isinstance(right, bool) else None
    if not comparable(left, right):
        return None
    return bool(left == right)


def compare(operator: str, left: Any, right: Any) -> bool | None:
    if operator == "=":
        return equal(left, right)
    if operator == "!=":
        same = equal(left, right)
        return None if same is None else not same
    if left is None or right is None or isinstance(left, bool) or not comparable(left, right):
        return None
    if operator == "<":
        return bool(left < right)
    if operator == "<=":
        return bool(left <= right)
    if operator == ">":
        return bool(left > right)
    return bool(left >= right)

"""What model code may call: date and money helpers, safe builtins and the RestrictedPython guards.

No clock and no randomness: a case must replay to the same state, so every date comes from the
case data. Month arithmetic is calendar arithmetic (2024-01-31 + 1 month = 2024-02-29).
"""
from __future__ import annotations

import builtins
import re
import string
import types
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    raise_,
    safer_getattr,
)

from engine.sandbox import guards
from engine.sandbox.compile import CLOCK_ATTRIBUTES
from engine.sandbox.explain import DutchAttributeError, DutchError, DutchTypeError, kind_of
from engine.sandbox.limits import guarded_iter, tick

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CENT = Decimal("0.01")


def parse_date(text: str) -> date:
    """``"2024-01-31"`` -> date(2024, 1, 31); anything else is refused."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise DutchError(f"{text!r} is geen datum in de vorm JJJJ-MM-DD")
    return date.fromisoformat(text)


def _as_date(value: date | str) -> date:
    if isinstance(value, str):
        return parse_date(value[:10]) if len(value) > 10 and value[10] == "T" else parse_date(value)
    if isinstance(value, date):
        return value
    raise DutchTypeError(f"een datum verwacht, maar dit is {kind_of(type(value).__name__)}")


def _as_int(n: Any, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise DutchTypeError(f"{what} moet een geheel getal zijn, niet {n!r}")
    return n


def add_months(d: date | str, n: int) -> date:
    """Calendar months: the day is clipped to the end of a shorter month."""
    return _as_date(d) + relativedelta(months=_as_int(n, "months"))


def add_weeks(d: date | str, n: int) -> date:
    return _as_date(d) + timedelta(weeks=_as_int(n, "weeks"))


def add_days(d: date | str, n: int) -> date:
    return _as_date(d) + timedelta(days=_as_int(n, "days"))


def months_between(a: date | str, b: date | str) -> int:
    """Whole calendar months from ``a`` to ``b`` (negative when ``b`` is earlier)."""
    delta = relativedelta(_as_date(b), _as_date(a))
    return delta.years * 12 + delta.months


def round_money(x: Any) -> Decimal:
    """Euro amount rounded half-up to cents; floats go through their shortest repr (2.675 -> 2.68)."""
    if isinstance(x, bool):
        raise DutchTypeError("round_money heeft een getal nodig, geen ja/nee")
    value = x if isinstance(x, Decimal) else Decimal(str(x))
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


HELPERS: dict[str, Any] = {
    "date": date,
    "datetime": datetime,
    "timedelta": timedelta,
    "Decimal": guards.GUARDED_BUILTINS["Decimal"],
    "add_months": add_months,
    "add_weeks": add_weeks,
    "add_days": add_days,
    "parse_date": parse_date,
    "months_between": months_between,
    "round_money": round_money,
}

_SAFE_BUILTINS: dict[str, Any] = {
    "None": None, "True": True, "False": False,
    "len": len, "min": min, "max": max, "abs": abs, "sorted": sorted, "any": any,
    "all": all, "float": float, "bool": bool, "list": list, "dict": dict,
    "set": set, "tuple": tuple, "enumerate": enumerate, "isinstance": isinstance,
    "reversed": reversed, "divmod": divmod, "chr": chr, "ord": ord, "frozenset": frozenset,
    **guards.GUARDED_BUILTINS,
}
_EXCEPTIONS = (
    "Exception", "ArithmeticError", "AssertionError", "AttributeError", "IndexError", "KeyError",
    "LookupError", "NameError", "OverflowError", "StopIteration", "TypeError", "ValueError",
    "ZeroDivisionError",
)

# Objects whose attributes lead out of the sandbox (frames, code, modules, generator internals).
_OPAQUE_TYPES = (
    types.FrameType, types.CodeType, types.TracebackType, types.ModuleType,
    types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType,
)


def guarded_getattr(ob: Any, name: str, default: Any = raise_) -> Any:
    """``_getattr_``: RestrictedPython's checks plus no clock, no str.format, no frame walking."""
    if isinstance(ob, _OPAQUE_TYPES):
        raise DutchAttributeError(f"‘.{name}’ is niet beschikbaar in modelcode")
    if name in CLOCK_ATTRIBUTES:
        raise DutchAttributeError(f"‘.{name}’ leest de klok, en dat mag niet in modelcode: "
                                  "gebruik datums uit de zaakgegevens")
    if name == "format_map" or isinstance(ob, string.Formatter):
        raise DutchAttributeError(f"‘{name}’ is niet beschikbaar in modelcode")
    if isinstance(ob, type) and name in guards.UNBOUND_REFUSED:
        raise DutchAttributeError(f"gebruik de methode op een waarde in plaats van {ob.__name__}.{name}")
    value = safer_getattr(ob, name, default)  # type: ignore[no-untyped-call]  # RestrictedPython leaves it untyped
    return guards.guard_sized_method(ob, name, value)


def _getitem(ob: Any, index: Any) -> Any:
    return ob[index]


def _apply(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


GUARDS: dict[str, Any] = {
    "_getattr_": guarded_getattr,
    "_getitem_": _getitem,
    "_getiter_": guarded_iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_apply_": _apply,
    "_inplacevar_": guards.guarded_inplace,
    "_tick_": tick,
    "_mul_": guards.guarded_mul,
    "_pow_": guards.guarded_pow,
    "_lshift_": guards.guarded_lshift,
    "_mod_": guards.guarded_mod,
    "_add_": guards.guarded_add,
    "_format_": guards.guarded_format,
    "_checked_str_": guards.check_text,
}

# Everything lives in __builtins__ so that task data names shadow helpers instead of clashing
# with them, and nothing of ours ever lands in the task data.
SANDBOX_BUILTINS: dict[str, Any] = {
    **_SAFE_BUILTINS,
    **{name: getattr(builtins, name) for name in _EXCEPTIONS},
    **HELPERS,
    **GUARDS,
}

"""Size guards: refuse a huge value before one C call builds it (a tick cannot interrupt C code).

The sandbox compiler routes ``*``, ``**``, ``<<``, ``%`` and sequence ``+`` through these guards,
and the sandbox's builtins and str methods whose result size is set by an argument are wrapped.
Text built from containers (``str(x)``, f-strings, ``%``) is weighed first, because a list can
hold a million references to one large string.
"""
from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from engine.sandbox.explain import DutchAttributeError, DutchTypeError
from engine.sandbox.limits import SandboxLimitExceeded, guarded_iter, tick

MAX_INT_BITS = 64 * 1024  # ~20,000 decimal digits: far above any amount or count in a case
MAX_SIZE = 1_000_000  # items in a sequence / characters in a string built in one operation
MAX_RANGE = 1_000_000
MAX_DECIMAL_EXPONENT = 10_000
MAX_ZIP_ARGS = 1_000
_CONTAINERS = (list, tuple, dict, set, frozenset)


def _too_big(what: str, limit: int = MAX_SIZE, unit: str = "items") -> SandboxLimitExceeded:
    units = {"items": "elementen", "characters": "tekens", "digits": "cijfers", "bits": "bits",
             "arguments": "argumenten"}
    return SandboxLimitExceeded(f"de uitkomst van {what} zou groter worden dan de grens van "
                                f"{limit:,} {units.get(unit, unit)}".replace(",", "."))


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def text_weight(ob: Any, what: str) -> None:
    """Refuse turning ``ob`` into text when that text would exceed the size limit."""
    if not isinstance(ob, _CONTAINERS):
        if isinstance(ob, Decimal) and ob.is_finite() and abs(ob.adjusted()) > MAX_DECIMAL_EXPONENT:
            raise _too_big(what, MAX_DECIMAL_EXPONENT, "digits")
        return
    total, stack = 0, [ob]
    while stack:  # shared references count every time: that is what the text will contain
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += 4 * len(item) + 2
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, _CONTAINERS):
            total += 2 * len(item) + 2
            stack.extend(item)
        else:
            total += 8
        if total > MAX_SIZE:
            raise _too_big(what, MAX_SIZE, "characters")


# --- operators ------------------------------------------------------------------------------------


def _check_repeat(seq: Any, n: Any) -> None:
    if isinstance(seq, (str, bytes, list, tuple)) and _is_int(n) and len(seq) * n > MAX_SIZE:
        raise _too_big("*")


def guarded_mul(a: Any, b: Any) -> Any:
    if _is_int(a) and _is_int(b):
        if a.bit_length() + b.bit_length() > MAX_INT_BITS:
            raise _too_big("*", MAX_INT_BITS, "bits")
    else:
        _check_repeat(a, b)
        _check_repeat(b, a)
    return a * b


def guarded_pow(a: Any, b: Any) -> Any:
    if _is_int(a) and _is_int(b) and b > 0 and abs(a) > 1 and (a.bit_length() - 1) * b > MAX_INT_BITS:
        raise _too_big("**", MAX_INT_BITS, "bits")
    return a**b


def guarded_lshift(a: Any, b: Any) -> Any:
    if _is_int(a) and _is_int(b) and a and a.bit_length() + b > MAX_INT_BITS:
        raise _too_big("<<", MAX_INT_BITS, "bits")
    return a << b


def guarded_add(a: Any, b: Any) -> Any:
    if isinstance(a, (str, bytes, list, tuple)) and isinstance(b, type(a)) and len(a) + len(b) > MAX_SIZE:
        raise _too_big("+")
    return a + b


# A width or precision in a printf-style or format() spec: '%10000d', '{:>10000}', '.9999f'.
_DIGITS = re.compile(r"(\d+)")


def check_format_spec(spec: str) -> None:
    if "*" in spec:
        raise SandboxLimitExceeded("een breedte met * mag niet in modelcode")
    for digits in _DIGITS.findall(spec):
        if len(digits) > 7 or int(digits) > MAX_SIZE:
            raise _too_big("string formatting", MAX_SIZE, "characters")


def guarded_mod(a: Any, b: Any) -> Any:
    if isinstance(a, (str, bytes)):
        check_format_spec(a if isinstance(a, str) else a.decode("latin-1"))
        for arg in b if isinstance(b, tuple) else (b,):
            text_weight(arg, "%")
        return check_text(a % b, "%")
    return a % b


def guarded_format(value: Any, spec: str = "", conversion: int = -1) -> str:
    """One f-string field: ``f'{x!r:>10}'`` -> ``_format_(x, '>10', ord('r'))``, bounded."""
    spec = str(spec)
    check_format_spec(spec)
    text_weight(value, "f-string")
    if conversion == 114:  # !r
        value = repr(value)
    elif conversion == 115:  # !s
        value = str(value)
    elif conversion == 97:  # !a
        value = ascii(value)
    return format(value, spec)


def check_text(text: Any, what: str = "string building") -> Any:
    """Refuse a freshly built string (f-string, ``%``) above the limit before it is kept."""
    if isinstance(text, (str, bytes)) and len(text) > MAX_SIZE:
        raise _too_big(what, MAX_SIZE, "characters")
    return text


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": guarded_add, "-=": operator.sub, "*=": guarded_mul, "/=": operator.truediv,
    "//=": operator.floordiv, "%=": guarded_mod, "**=": guarded_pow, "<<=": guarded_lshift,
    ">>=": operator.rshift, "|=": operator.or_, "^=": operator.xor, "&=": operator.and_,
    "@=": operator.matmul,
}


def guarded_inplace(op: str, x: Any, y: Any) -> Any:
    """``_inplacevar_``: ``n += 1`` with the same size guards as the plain operators."""
    return _INPLACE[op](x, y)


# --- methods --------------------------------------------------------------------------------------

_PADDING = frozenset({"ljust", "rjust", "center", "zfill"})
# Unbound forms (str.join(sep, items), list.extend(a, b)) would skip the per-value guards.
UNBOUND_REFUSED = _PADDING | {"expandtabs", "replace", "join", "to_bytes", "format", "format_map", "extend"}


def guard_sized_method(ob: Any, name: str, method: Any) -> Any:
    """Wrap methods whose result size an argument sets (``'a'.ljust(10**9)``, ``x.extend(x)``)."""
    if isinstance(ob, (str, bytes)):
        if name in _PADDING:
            return _bounded_first_arg(method, name)
        if name in ("expandtabs", "replace", "join"):
            return _STR_GUARDS[name](ob, method)
    elif isinstance(ob, list) and name == "extend":
        return lambda items: method(_sized(items, len(ob), "extend()"))
    elif _is_int(ob) and name == "to_bytes":
        return _bounded_first_arg(method, name)
    return method


def _bounded_first_arg(method: Any, name: str) -> Callable[..., Any]:
    def bounded(size: Any = 0, *args: Any, **kwargs: Any) -> Any:
        if _is_int(size) and size > MAX_SIZE:
            raise _too_big(f"{name}()", MAX_SIZE, "characters")
        return method(size, *args, **kwargs)
    return bounded


def _sized(items: Iterable[Any], already: int, what: str) -> list[Any]:
    collected = list(guarded_iter(items))
    if already + len(collected) > MAX_SIZE:
        raise _too_big(what)
    return collected


def _expandtabs(ob: Any, method: Any) -> Callable[..., Any]:
    def expandtabs(tabsize: int = 8) -> Any:
        if _is_int(tabsize) and ob.count("\t" if isinstance(ob, str) else b"\t") * tabsize > MAX_SIZE:
            raise _too_big("expandtabs()", MAX_SIZE, "characters")
        return method(tabsize)
    return expandtabs


def _replace(ob: Any, method: Any) -> Callable[..., Any]:
    def replace(old: Any, new: Any, count: int = -1) -> Any:
        hits = ob.count(old) if old else len(ob) + 1
        if len(ob) + hits * len(new) > MAX_SIZE:
            raise _too_big("replace()", MAX_SIZE, "characters")
        return method(old, new, count)
    return replace


def _join(ob: Any, method: Any) -> Callable[..., Any]:
    def join(items: Iterable[Any]) -> Any:
        parts = list(guarded_iter(items))
        size = len(ob) * max(len(parts) - 1, 0)
        size += sum(len(p) for p in parts if isinstance(p, (str, bytes)))
        if size > MAX_SIZE:
            raise _too_big("join()", MAX_SIZE, "characters")
        return method(parts)
    return join


_STR_GUARDS = {"expandtabs": _expandtabs, "replace": _replace, "join": _join}


# --- builtins -------------------------------------------------------------------------------------


class GuardedType:
    """A builtin type whose calls are checked; ``isinstance(x, int)`` still sees the real type."""

    # Underscore names: model code cannot read them, so it cannot reach the unguarded type.
    __slots__ = ("_real", "_check")

    def __init__(self, real: type, check: Callable[..., None]) -> None:
        self._real = real
        self._check = check

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._check(*args, **kwargs)
        return self._real(*args, **kwargs)

    def __instancecheck__(self, obj: Any) -> bool:
        return isinstance(obj, self._real)

    def __subclasscheck__(self, cls: type) -> bool:
        return issubclass(cls, self._real)

    def __getattr__(self, name: str) -> Any:
        if name in UNBOUND_REFUSED:
            # str.join(sep, items) would skip the guard that 'sep'.join(items) goes through.
            raise DutchAttributeError("gebruik de methode op een waarde in plaats van "
                                      f"{self._real.__name__}.{name}")
        return getattr(self._real, name)

    def __repr__(self) -> str:
        return repr(self._real)


def _check_int(value: Any = 0, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() > MAX_INT_BITS // 3:
        raise _too_big("int()", MAX_INT_BITS, "bits")


def _check_str(value: Any = "", *args: Any, **kwargs: Any) -> None:
    text_weight(value, "str()")


def _check_decimal(value: Any = "0", *args: Any, **kwargs: Any) -> None:
    # Decimal('1e999999999') is cheap to make but int() or f'{x:f}' of it never ends.
    if isinstance(value, str) and len(value) > 1000:
        raise _too_big("Decimal()", 1000, "characters")
    try:
        made = Decimal(value)
    except Exception:  # noqa: BLE001 - the real call raises the proper error
        return
    if made.is_finite() and abs(made.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise _too_big("Decimal()", MAX_DECIMAL_EXPONENT, "digits")


def guarded_repr(value: Any) -> str:
    text_weight(value, "repr()")
    return repr(value)


def guarded_round(number: Any, ndigits: int | None = None) -> Any:
    if ndigits is None:
        _check_int(number)
    return round(number, ndigits)


def guarded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise _too_big("range()", MAX_RANGE)
    return r


def guarded_zip(*iterables: Any, strict: bool = False) -> Iterator[tuple[Any, ...]]:
    if len(iterables) > MAX_ZIP_ARGS:
        raise _too_big("zip()", MAX_ZIP_ARGS, "arguments")
    for item in zip(*iterables, strict=strict):
        tick()
        yield item


def guarded_sum(items: Iterable[Any], start: Any = 0) -> Any:
    # sum() of lists copies quadratically inside one C call; numbers only.
    if isinstance(start, (list, tuple, str, bytes)):
        raise DutchTypeError("sum() van lijsten of teksten mag niet in modelcode: gebruik een lus")
    return sum(guarded_iter(items), start)


GUARDED_BUILTINS: dict[str, Any] = {
    "int": GuardedType(int, _check_int),
    "str": GuardedType(str, _check_str),
    "Decimal": GuardedType(Decimal, _check_decimal),
    "repr": guarded_repr,
    "round": guarded_round,
    "range": guarded_range,
    "zip": guarded_zip,
    "sum": guarded_sum,
}

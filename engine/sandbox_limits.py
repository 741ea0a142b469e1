"""CPU-time and size limits for sandboxed model code.

Model code cannot be interrupted by a signal (Flask serves requests from threads and signals reach
only the main thread), so the sandbox compiler injects a cheap ``_tick_()`` call into every loop
body, function body and lambda, and every guarded iteration ticks too. A tick counts down and only
every ``CHECK_EVERY`` ticks reads this thread's CPU clock, so the common path costs one attribute
decrement. Operators that can build huge values in one C call (``**``, ``*``, ``<<``, ``%``,
``+``) go through guards that refuse oversized results before computing them.
"""
from __future__ import annotations

import operator
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_CPU_SECONDS = 2.0
MAX_INT_BITS = 64 * 1024  # ~20,000 decimal digits: far above any amount or count in a case
MAX_SIZE = 1_000_000  # items in a sequence / characters in a string built in one operation
MAX_RANGE = 1_000_000
CHECK_EVERY = 256
_SMALL = 100  # containers up to this length are iterated without a per-item tick


class SandboxLimitExceeded(Exception):
    """Model code hit the CPU-time or size limit of the sandbox."""


class _Budget:
    """CPU seconds that sandboxed code in one thread may still use."""

    __slots__ = ("limit", "used", "started", "depth", "countdown", "exceeded")

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.used = 0.0
        self.started = 0.0
        self.depth = 0
        self.countdown = CHECK_EVERY
        self.exceeded = False

    def enter(self) -> None:
        if self.exceeded:
            raise self.error()
        if self.depth == 0:
            self.started = time.thread_time()
        self.depth += 1

    def leave(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.used += time.thread_time() - self.started

    def check(self) -> None:
        # Sticky: once exceeded, every later tick raises again, so code that catches the
        # exception in a loop cannot keep running.
        self.countdown = CHECK_EVERY
        spent = self.used + (time.thread_time() - self.started if self.depth else 0.0)
        if self.exceeded or spent > self.limit:
            self.exceeded = True
            self.countdown = 0
            raise self.error()

    def error(self) -> SandboxLimitExceeded:
        return SandboxLimitExceeded(f"model code exceeded its CPU time limit of {self.limit:g} s")


_local = threading.local()


def _current() -> _Budget | None:
    return getattr(_local, "budget", None)


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Limit the CPU time sandboxed code may use in this thread during the block (one engine step)."""
    previous = _current()
    _local.budget = _Budget(seconds)
    try:
        yield
    finally:
        _local.budget = previous


@contextmanager
def sandboxed_run() -> Iterator[None]:
    """Account one evaluate/execute call against the active budget (or a fresh default one)."""
    budget = _current()
    own = budget is None
    if own:
        budget = _local.budget = _Budget(DEFAULT_CPU_SECONDS)
    budget.enter()
    try:
        yield
        if budget.exceeded:  # the code swallowed the limit error: still refuse its result
            raise budget.error()
    finally:
        budget.leave()
        if own:
            _local.budget = None


def tick(value: Any = None) -> Any:
    """Injected into loop and function bodies; returns its argument so it can wrap a lambda body."""
    budget = getattr(_local, "budget", None)
    if budget is not None:
        budget.countdown -= 1
        if budget.countdown <= 0:
            budget.check()
    return value


def guarded_iter(ob: Any) -> Iterator[Any]:
    """``_getiter_``: small containers iterate directly, anything else ticks per item."""
    tick()
    if type(ob) in (list, tuple, dict, set, frozenset, str, range) and len(ob) <= _SMALL:
        return iter(ob)
    return _ticking(iter(ob))


def _ticking(it: Iterator[Any]) -> Iterator[Any]:
    for item in it:
        tick()
        yield item


def _too_big(what: str, limit: int, unit: str) -> SandboxLimitExceeded:
    return SandboxLimitExceeded(f"result of {what} would exceed the size limit of {limit:,} {unit}")


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _check_seq_repeat(seq: Any, n: Any) -> None:
    if isinstance(seq, (str, bytes, bytearray, list, tuple)) and _is_int(n) and len(seq) * n > MAX_SIZE:
        raise _too_big("*", MAX_SIZE, "items")


def guarded_mul(a: Any, b: Any) -> Any:
    if _is_int(a) and _is_int(b):
        if a.bit_length() + b.bit_length() > MAX_INT_BITS:
            raise _too_big("*", MAX_INT_BITS, "bits")
    else:
        _check_seq_repeat(a, b)
        _check_seq_repeat(b, a)
    return a * b


def guarded_pow(a: Any, b: Any) -> Any:
    if _is_int(a) and _is_int(b) and b > 0 and abs(a) > 1:
        if (a.bit_length() - 1) * b > MAX_INT_BITS:
            raise _too_big("**", MAX_INT_BITS, "bits")
    return a**b


def guarded_lshift(a: Any, b: Any) -> Any:
    if _is_int(a) and _is_int(b) and a and a.bit_length() + b > MAX_INT_BITS:
        raise _too_big("<<", MAX_INT_BITS, "bits")
    return a << b


def guarded_add(a: Any, b: Any) -> Any:
    if (
        isinstance(a, (str, bytes, list, tuple))
        and isinstance(b, type(a))
        and len(a) + len(b) > MAX_SIZE
    ):
        raise _too_big("+", MAX_SIZE, "items")
    return a + b


# A width or precision in a printf-style or format() spec: '%10000d', '{:>10000}', '.9999f'.
_WIDTH = re.compile(r"(\d+)")


def check_format_spec(spec: str) -> None:
    if "*" in spec:
        raise SandboxLimitExceeded("'*' widths are not allowed in model code")
    for digits in _WIDTH.findall(spec):
        if len(digits) > 7 or int(digits) > MAX_SIZE:
            raise _too_big("string formatting", MAX_SIZE, "characters")


def guarded_mod(a: Any, b: Any) -> Any:
    if isinstance(a, (str, bytes)):
        check_format_spec(a if isinstance(a, str) else a.decode("latin-1"))
    return a % b


def guarded_format(value: Any, spec: str = "") -> str:
    """``format()`` for f-string specs such as ``f'{x:>10}'`` with the width bounded."""
    check_format_spec(spec)
    return format(value, spec)


def guarded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise _too_big("range()", MAX_RANGE, "items")
    return r


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": guarded_add,
    "-=": operator.sub,
    "*=": guarded_mul,
    "/=": operator.truediv,
    "//=": operator.floordiv,
    "%=": guarded_mod,
    "**=": guarded_pow,
    "<<=": guarded_lshift,
    ">>=": operator.rshift,
    "|=": operator.or_,
    "^=": operator.xor,
    "&=": operator.and_,
    "@=": operator.matmul,
}


def guarded_inplace(op: str, x: Any, y: Any) -> Any:
    """``_inplacevar_``: ``n += 1`` with the same size guards as the plain operators."""
    return _INPLACE[op](x, y)


# str/bytes methods whose result size is set by an argument, checked before the call.
_PADDING = {"ljust", "rjust", "center", "zfill"}


def guard_sized_method(ob: Any, name: str, method: Any) -> Any:
    if not isinstance(ob, (str, bytes, bytearray)):
        if name == "to_bytes" and _is_int(ob):
            return _bounded_first_arg(method, name)
        return method
    if name in _PADDING:
        return _bounded_first_arg(method, name)
    if name == "expandtabs":
        def expandtabs(tabsize: int = 8) -> Any:
            if _is_int(tabsize) and ob.count("\t" if isinstance(ob, str) else b"\t") * tabsize > MAX_SIZE:
                raise _too_big("expandtabs()", MAX_SIZE, "characters")
            return method(tabsize)
        return expandtabs
    if name == "replace":
        def replace(old: Any, new: Any, count: int = -1) -> Any:
            hits = ob.count(old) if old else len(ob) + 1
            if len(ob) + hits * len(new) > MAX_SIZE:
                raise _too_big("replace()", MAX_SIZE, "characters")
            return method(old, new, count)
        return replace
    return method


def _bounded_first_arg(method: Any, name: str) -> Callable[..., Any]:
    def bounded(size: Any = 0, *args: Any, **kwargs: Any) -> Any:
        if _is_int(size) and size > MAX_SIZE:
            raise _too_big(f"{name}()", MAX_SIZE, "characters")
        return method(size, *args, **kwargs)
    return bounded

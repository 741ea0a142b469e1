"""Deploy-time bounds on timers whose value is written in the model (issue 17).

A timer expression that is a plain literal (``"R/PT0S"``, ``"P99999999Y"``) is checked here against
the same bounds the runtime enforces (``engine.sandbox.timer_bounds``); a value computed from case
data can only be checked when a case reaches the timer, and is, at runtime.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from engine.models.expressions import NSMAP, owner_id
from engine.sandbox.timer_bounds import TimerOutOfBounds, check_timer_value

TIMER_KINDS = ("timeDate", "timeDuration", "timeCycle")
# What an ISO 8601 value looks like when it was written without quotes: a bare name to Python
# (``PT5M``, ``P6M``), which only fails when a case reaches the timer ("name 'PT5M' is not defined").
_PERIOD = r"P(\d+[YMWD])*(T(\d+(\.\d+)?[HMS])+)?"
_MOMENT = r"\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?"
_BARE_ISO = re.compile(rf"^(R\d*/)?({_PERIOD}|{_MOMENT})(/({_PERIOD}|{_MOMENT}))?$")


@dataclass(frozen=True)
class TimerProblem:
    line: int | None
    element_id: str | None
    message: str


def bare_iso(text: str) -> bool:
    """Whether a timer expression is an ISO 8601 value written without quotes."""
    return bool(_BARE_ISO.match(text.strip())) and text.strip() != "P"


def literal_timer_problems(root: etree._Element) -> Iterator[TimerProblem]:
    for kind in TIMER_KINDS:
        for element in root.iterfind(f".//bpmn:timerEventDefinition/bpmn:{kind}", NSMAP):
            written = (element.text or "").strip()
            if bare_iso(written):
                yield TimerProblem(element.sourceline, owner_id(element),
                                   f"timer {written} staat niet tussen aanhalingstekens; "
                                   f'een vaste waarde is een tekst: schrijf "{written}"')
                continue
            try:
                value = ast.literal_eval(written)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue  # computed from case data (or not valid code, reported elsewhere)
            try:
                check_timer_value(kind, value)
            except TimerOutOfBounds as exc:
                message = f"timer: {exc.detail}"
                yield TimerProblem(element.sourceline, owner_id(element), message)


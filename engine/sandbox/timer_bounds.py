"""Bounds on timer values, so that no timer can make a step compute without end (issue 17).

SpiffWorkflow turns a duration into days month by month ("P99999999Y" is 1.2 billion loop turns in
one call) and fires a cycle again as soon as its next time has passed ("R/PT0S" fires for ever
within one step). Every timer value passes through three of its static parsers, so those are
wrapped here: a value beyond the bounds raises ``TimerOutOfBounds`` before any arithmetic runs.
The same check serves deploy-time validation (a literal expression) and the runtime (a value
computed from case data). The bounds, chosen where the issue left the figure open:

- a duration or cycle interval of at most 100 years (36,525 days);
- a cycle with an explicit number of repetitions, at most ``MAX_REPETITIONS``, each at least a
  minute apart (a reminder more often than that is no case work, it is a loop);
- a date within 100 years of now (the step's frozen time at runtime).
"""
from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

from engine.clock import frozen_now
from engine.sandbox.explain import kind_of
from engine.sandbox.limits import SandboxLimitExceeded

MAX_DAYS = 36525  # 100 years
MAX_REPETITIONS = 1000
MIN_CYCLE_SECONDS = 60
# Each designator in days (a year of 365.25 days: "P100Y" is just within the bound).
_DAYS_PER = {"years": 365.25, "months": 30.4375, "weeks": 7, "days": 1, "hours": 1 / 24, "minutes": 1 / 1440,
             "seconds": 1 / 86400}


class TimerOutOfBounds(SandboxLimitExceeded):
    """A timer value beyond the bounds; ``element`` is the BPMN element, once known."""

    def __init__(self, detail: str, element: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.element = element
        self.task: Any = None  # the SpiffWorkflow task whose timer it was, once known

    def __str__(self) -> str:
        return f"timer {self.element!r}: {self.detail}" if self.element else self.detail


def check_duration(parsed: dict[str, Any], written: str) -> None:
    days = sum(float(value) * _DAYS_PER.get(unit, 0) for unit, value in parsed.items())
    if days > MAX_DAYS:
        raise TimerOutOfBounds(f"de duur {written!r} is langer dan 100 jaar")


def check_date(moment: datetime, written: str) -> None:
    now = frozen_now() or datetime.now(UTC)
    span = timedelta(days=MAX_DAYS)
    if not now - span <= moment <= now + span:
        raise TimerOutOfBounds(f"de datum {written!r} ligt meer dan 100 jaar van nu")


def check_cycle(cycles: int, duration: timedelta, written: str) -> None:
    reasons = []
    if duration.total_seconds() < MIN_CYCLE_SECONDS:
        reasons.append("herhaalt vaker dan eens per minuut")
    if cycles < 0:
        reasons.append(f"herhaalt onbegrensd (geef het aantal herhalingen op: R1 tot R{MAX_REPETITIONS})")
    elif cycles > MAX_REPETITIONS:
        reasons.append(f"herhaalt vaker dan {MAX_REPETITIONS} keer")
    if reasons:
        raise TimerOutOfBounds(f"de cyclus {written!r} " + " en ".join(reasons))


def check_timer_value(kind: str, value: Any) -> None:
    """Check one timer value (``kind`` is timeDate, timeDuration or timeCycle) without running it."""
    if not isinstance(value, str):
        raise TimerOutOfBounds(f"een timer is een ISO 8601-tekst, maar dit is "
                               f"{kind_of(type(value).__name__)}")
    try:
        if kind == "timeCycle":
            TimerEventDefinition.parse_iso_recurring_interval(value)
        elif kind == "timeDuration":
            TimerEventDefinition.parse_iso_duration(value)
        else:
            TimerEventDefinition.parse_time_or_duration(value)
    except TimerOutOfBounds:
        raise
    except Exception as exc:  # noqa: BLE001 - SpiffWorkflow raises plain Exception/ValueError
        raise TimerOutOfBounds(f"{value!r} is geen geldige ISO 8601-waarde ({_EXAMPLES[kind]})") from exc


# -- the wrappers around SpiffWorkflow's parsers ------------------------------------------------------
_original = {name: getattr(TimerEventDefinition, name)
             for name in ("parse_iso_duration", "get_datetime", "parse_iso_recurring_interval")}


_EXAMPLES = {"timeDuration": 'een duur, bijvoorbeeld "PT5M" of "P14D"',
             "timeDate": 'een datum en tijd, bijvoorbeeld "2026-01-31T09:00:00+01:00"',
             "timeCycle": 'een cyclus, bijvoorbeeld "R3/P1W"'}


def _parsed(kind: str, parse: Any, expression: Any) -> Any:
    """SpiffWorkflow's parse, its failure in Dutch (a value computed from case data at run time)."""
    try:
        return parse(expression)
    except TimerOutOfBounds:
        raise
    except Exception as exc:  # noqa: BLE001 - SpiffWorkflow raises plain Exception/ValueError
        raise TimerOutOfBounds(f"{expression!r} is geen geldige ISO 8601-waarde ({_EXAMPLES[kind]})") from exc


def _parse_iso_duration(expression: str) -> dict[str, Any]:
    parsed: dict[str, Any] = _parsed("timeDuration", _original["parse_iso_duration"], expression)
    check_duration(parsed, expression)
    return parsed


def _get_datetime(expression: str) -> datetime:
    moment: datetime = _parsed("timeDate", _original["get_datetime"], expression)
    check_date(moment, expression)
    return moment


def _parse_iso_recurring_interval(expression: str) -> tuple[int, datetime, timedelta]:
    if not isinstance(expression, str):
        raise TimerOutOfBounds(f"een cyclus is een ISO 8601-tekst, maar dit is "
                               f"{kind_of(type(expression).__name__)}")
    cycles, start, duration = _parsed("timeCycle", _original["parse_iso_recurring_interval"], expression)
    check_cycle(cycles, duration, expression)
    return cycles, start, duration


def _check_stored_cycle(my_task: Any) -> None:
    """A cycle computed before these bounds existed is kept parsed in the task: check it too."""
    value = my_task._get_internal_data("event_value")
    if isinstance(value, dict) and value.get("cycles", 0) != 0:
        cycles, seconds = int(value["cycles"]), float(value.get("duration", 0))
        written = f"{'R' if cycles < 0 else f'R{cycles}'}/PT{seconds:g}S"  # as a modeller writes it
        check_cycle(cycles, timedelta(seconds=seconds), written)


def _naming(method: Any, check: Any = None) -> Any:
    """Name the timer's element in a bound it hit (the parsers do not know the task)."""

    @functools.wraps(method)
    def wrapper(self: Any, my_task: Any, *args: Any) -> Any:
        try:
            if check is not None:
                check(my_task)
            return method(self, my_task, *args)
        except TimerOutOfBounds as exc:
            spec = my_task.task_spec
            exc.element = exc.element or spec.bpmn_name or spec.bpmn_id or spec.name
            exc.task = exc.task or my_task
            raise

    wrapper.__trede_bounded__ = True  # type: ignore[attr-defined]
    return wrapper


def install() -> None:
    """Wrap SpiffWorkflow's timer parsers (idempotent)."""
    if getattr(CycleTimerEventDefinition.cycle_complete, "__trede_bounded__", False):
        return
    TimerEventDefinition.parse_iso_duration = staticmethod(_parse_iso_duration)
    TimerEventDefinition.get_datetime = staticmethod(_get_datetime)
    TimerEventDefinition.parse_iso_recurring_interval = staticmethod(
        _parse_iso_recurring_interval)
    for cls in (TimeDateEventDefinition, DurationTimerEventDefinition):
        cls.has_fired = _naming(cls.has_fired)
    CycleTimerEventDefinition.cycle_complete = _naming(
        CycleTimerEventDefinition.cycle_complete, _check_stored_cycle)


install()

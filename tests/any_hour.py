"""Run the tests at another hour: ``TREDE_TEST_TRAVEL_TO=2026-11-30T23:30:00+00:00 pytest ...``.

With that variable set, the wall clock of the whole pytest process (``datetime.now``, ``date.today``,
``time.time``) starts at the given moment and ticks on from there (time-machine). Combined with another
``TZ`` this shows a test that only passes at some hours or in some time zones: legal dates are
Europe/Amsterdam dates, and the UTC date or the machine's local date differ from them for part of
every day. tests/test_any_hour.py runs a sample of the suite this way; the engine's own clock in the
app fixture is fixed (tests/conftest.py), so what is left to catch is wall-clock use.
"""
from __future__ import annotations

import os
from datetime import datetime

import pytest

VARIABLE = "TREDE_TEST_TRAVEL_TO"
_traveller: list = []


def pytest_configure(config: pytest.Config) -> None:
    moment = os.environ.get(VARIABLE)
    if not moment or _traveller:
        return
    import time_machine  # a dev dependency: only needed when travelling

    destination = datetime.fromisoformat(moment)
    if destination.tzinfo is None:
        raise pytest.UsageError(f"{VARIABLE} needs a UTC offset, e.g. 2026-11-30T23:30:00+00:00")
    # A timestamp, not the datetime: time-machine would set TZ from an aware datetime's zone (even
    # "UTC"), and the TZ of the run is what is being tested.
    traveller = time_machine.travel(destination.timestamp(), tick=True)
    traveller.start()
    _traveller.append(traveller)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _traveller:
        _traveller.pop().stop()


def pytest_terminal_summary(terminalreporter) -> None:
    moment = os.environ.get(VARIABLE)
    if moment:  # said at the end, also under -q: a run at another hour says so
        terminalreporter.write_line(
            f"travelled to {moment} (wall clock, ticking), TZ={os.environ.get('TZ', '(unset)')}")

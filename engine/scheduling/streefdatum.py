"""The streefdatum of a user task: when the organisation means to have it done (not a legal term).

A user task may carry the property ``streefdatum``: "<n> werkdagen" (working days, weekends and
public holidays of the Algemene termijnenwet skipped) or an ISO-8601 period ("P2W", calendar time,
moved to the next working day). Without it every task gets ``DEFAULT``, so a worklist sorted by
streefdatum always has one. The date counts from the moment the task became ready (the step's
time, so a replay derives the same); the work item's ``due_at`` is the start of that day, Amsterdam
(shown as that date).
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache

from engine.scheduling.termijnen import AMSTERDAM, add_working_days, due_date, legal_date

PROPERTY = "streefdatum"
DEFAULT = "10 werkdagen"
_WORKING_DAYS = re.compile(r"\s*(?:binnen\s+)?(\d{1,3})\s+werkdag(?:en)?\s*", re.IGNORECASE)


def target_date(value: str | None, ready_at: datetime) -> date | None:
    """The streefdatum for a task that became ready at ``ready_at``; None for a value not understood
    (the model check refuses those at deploy, see ``problem``)."""
    return _target((value or DEFAULT).strip(), legal_date(ready_at))


@lru_cache(maxsize=256)  # one step makes tasks of a few kinds on one day: the same few answers
def _target(text: str, start: date) -> date | None:
    if match := _WORKING_DAYS.fullmatch(text):
        return add_working_days(start, int(match[1]))
    try:
        return due_date(start, text)
    except ValueError:
        return None


def due_at(value: str | None, ready_at: datetime) -> datetime | None:
    day = target_date(value, ready_at)
    if day is None:
        return None
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)


def problem(value: str) -> str | None:
    """A Dutch message for a property value that gives no date."""
    if target_date(value, datetime(2026, 1, 5, tzinfo=AMSTERDAM)) is None:
        return (f"eigenschap 'streefdatum' moet '<aantal> werkdagen' of een ISO-8601-periode zijn "
                f"(bijv. 'P2W'), niet {value!r}")
    return None

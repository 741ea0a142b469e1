"""Report periods (a quarter or a year) and the as-of cut-off of a reference date."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_CODE = re.compile(r"^(\d{4})(?:-K([1-4]))?$")


@dataclass(frozen=True)
class Period:
    code: str  # "2012-K3" (kwartaal) or "2012" (jaar)
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def label(self) -> str:
        if "-K" in self.code:
            year, quarter = self.code.split("-K")
            return f"{quarter}e kwartaal {year}"
        return f"jaar {self.code}"


def parse_period(code: str) -> Period:
    """``2012-K1`` .. ``2012-K4`` or ``2012``; ValueError for anything else."""
    match = _CODE.match(code or "")
    if not match or not 1900 < int(match[1]) < 3000:
        raise ValueError(f"onbekende periode {code!r}: gebruik bijvoorbeeld 2012-K1 of 2012")
    year = int(match[1])
    if match[2] is None:
        return Period(code, date(year, 1, 1), date(year, 12, 31))
    quarter = int(match[2])
    start = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(code, start, following - timedelta(days=1))


def quarter_of(day: date) -> Period:
    return parse_period(f"{day.year}-K{(day.month - 1) // 3 + 1}")


def recent_periods(today: date, quarters: int = 8) -> list[Period]:
    """The current quarter and the ones before it, newest first, plus the last two whole years."""
    found, current = [], quarter_of(today)
    for _ in range(quarters):
        found.append(current)
        current = quarter_of(current.start - timedelta(days=1))
    return found + [parse_period(str(today.year - 1)), parse_period(str(today.year - 2))]


def end_of_day(day: date) -> datetime:
    """The first UTC moment *after* ``day`` in Amsterdam: events with ``at`` before it count."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=AMSTERDAM).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM).astimezone(UTC)


def legal_day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()

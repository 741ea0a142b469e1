"""Legal terms on the Dutch calendar.

Algemene termijnenwet art. 1 lid 1: a term set by law that ends on a Saturday, Sunday or a
generally recognised public holiday is extended to the next day that is none of those. Art. 3
lid 1 lists the recognised holidays: Nieuwjaarsdag, Tweede Paas- en Pinksterdag, both Christmas
days, Hemelvaartsdag, the day the King's birthday is celebrated and 5 May. Legal dates are
Europe/Amsterdam calendar dates; months are calendar months.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.easter import easter

from engine.scheduling.periods import parse_period

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def legal_date(moment: datetime) -> date:
    """The Amsterdam calendar date of a UTC moment."""
    return moment.astimezone(AMSTERDAM).date()


def koningsdag(year: int) -> date:
    # Since 2014 the King's birthday is 27 April, celebrated on the 26th when the 27th is a Sunday.
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=64)  # every work item's streefdatum counts working days: compute a year once
def public_holidays(year: int) -> frozenset[date]:
    pasen = easter(year)
    return frozenset({
        date(year, 1, 1),
        pasen + timedelta(days=1),   # Tweede Paasdag
        pasen + timedelta(days=39),  # Hemelvaartsdag
        pasen + timedelta(days=50),  # Tweede Pinksterdag
        koningsdag(year),
        date(year, 5, 5),
        date(year, 12, 25),
        date(year, 12, 26),
    })


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def due_date(start: date, term: str, suspended_days: int = 0, extension: str | None = None) -> date:
    """The last day of a term starting on ``start``: start + term (+ extension) + suspended days,
    moved to the next working day per the Algemene termijnenwet."""
    end = start + parse_period(term)
    if extension:
        end = end + parse_period(extension)
    end += timedelta(days=suspended_days)
    return next_working_day(end)


def add_working_days(start: date, days: int) -> date:
    """``days`` working days after ``start`` (weekends and the Atw's public holidays skipped)."""
    day = start
    for _ in range(max(days, 0)):
        day = next_working_day(day + timedelta(days=1))
    return day

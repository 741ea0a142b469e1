"""Calendar periods (ISO 8601 durations) for recurring work: P1Y, P6M, P2W, P14D.

Months and years are calendar arithmetic (python-dateutil): 31 January + P1M = 28/29 February.
"""
from __future__ import annotations

import re
from datetime import datetime

from dateutil.relativedelta import relativedelta

_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def parse_period(text: str) -> relativedelta:
    match = _PERIOD.match(text or "")
    if not match or not any(match.groups()):
        raise ValueError(f"geen geldige periode: {text!r} (verwacht bijvoorbeeld P1Y, P6M, P14D)")
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return relativedelta(years=years, months=months, weeks=weeks, days=days)


def next_after(start: datetime, period: str, now: datetime) -> datetime:
    """The first moment start + k*period (k >= 1) that lies after ``now``."""
    step = parse_period(period)
    k = 1
    moment = start + step
    while moment <= now:
        k += 1
        moment = start + step * k  # from the anchor, so 31 Jan keeps landing on month ends
    return moment

"""Premiums, fees, advances and subsidies by period, from the ledger's events.

The ledger (``processes.ledger``) records each approval and payment of a line as an event in the
case's chain (``ledger_line_approved`` / ``ledger_line_paid`` with soort and bedrag), so money is
read from the event history like every other figure, as of the end of the period. Approved is
what the gemeente committed to pay (four eyes passed); paid is what left the account.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from processes.reports.history import CaseEvents
from processes.reports.periods import Period, legal_day

SOORTEN = {
    "premie": "Premies aan inwoners",
    "vergoeding": "Vergoedingen aan werkgevers en aanbieders",
    "voorschot": "Voorschotten aan werkgevers en aanbieders",
    "subsidie": "Subsidies",
    "terugvordering": "Terugvorderingen",
}
_MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def bedragen(histories: list[CaseEvents], period: Period) -> dict[str, Any]:
    """Per soort: approved per month of the period, approved in total, and paid in total (euros)."""
    months = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    approved: dict[str, dict[tuple[int, int], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for history in histories:
        for event in history.events:
            # an approved line withdrawn after an upheld bezwaar (before it reached the financial
            # system) is no longer committed: taken off in the month it lapsed
            withdrawn = event.kind == "ledger_line_withdrawn" and event.payload.get("was") == "goedgekeurd"
            if event.kind not in ("ledger_line_approved", "ledger_line_paid") and not withdrawn:
                continue
            day = legal_day(event.at)
            if not period.start <= day <= period.end:
                continue
            soort, amount = str(event.payload.get("soort")), Decimal(str(event.payload.get("bedrag", "0")))
            if withdrawn:
                approved[soort][(day.year, day.month)] -= amount
            elif event.kind == "ledger_line_approved":
                approved[soort][(day.year, day.month)] += amount
            else:
                paid[soort] += amount
    soorten = [s for s in SOORTEN if s in approved or s in paid]
    soorten += sorted(s for s in set(approved) | set(paid) if s not in SOORTEN)
    rows = []
    for soort in soorten:
        per_month = [approved[soort][m] for m in months]
        rows.append([SOORTEN.get(soort, soort), *(_euro(v) for v in per_month), _euro(sum(per_month)),
                     _euro(paid[soort])])
    columns = ["Soort", *(f"goedgekeurd {_MONTHS[m - 1]} {y}" for y, m in months), "goedgekeurd totaal",
               "betaald totaal"]
    return {"key": "bedragen", "title": "Premies, vergoedingen en subsidies (euro)", "columns": columns,
            "rows": rows}


def _euro(amount: Decimal) -> str:
    """Two decimals as text: exact in JSON, CSV and the stored publication alike."""
    return f"{amount.quantize(Decimal('0.01'))}"

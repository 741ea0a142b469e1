"""The quarterly report (seed 003: "4x per jaar in de Kwartaalrapportage": uitstroom, aantal
trajecten, participatieladder) for one gemeente, as a JSON-able dict of tables.

The page, the CSV, the XLSX and the stored publication are all rendered from this one dict, so
they cannot disagree.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from processes.reports import activity, history, ladder, money
from processes.reports.periods import Period

WASSENAAR = "wassenaar"  # the only gemeente with categories 1A-3B (seed 004)


def build(db: Engine, gemeente: str, period: Period) -> dict[str, Any]:
    """Every figure of the period: ladder positions as of its first and last day, the rest as of
    the end of its last day."""
    at_start = history.load(db, gemeente, period.start)
    at_end = history.load(db, gemeente, period.end)
    first, second = ladder.positions(at_start), ladder.positions(at_end)
    first_label, second_label = ladder.reference_label(period.start), ladder.reference_label(period.end)
    sections = [
        ladder.standcijfers(first, second, first_label, second_label),
        ladder.matrix(first, second, first_label, second_label),
        activity.uitstroom(at_end, period),
        activity.trajecten(at_end, period),
        money.bedragen(at_end, period),
        activity.termijnen(at_end, period),
    ]
    if gemeente == WASSENAAR:
        sections.append(activity.wassenaar_categorieen(at_end, second))
    return {"gemeente": gemeente, "periode": period.code, "titel": f"Kwartaalrapportage {period.label}",
            "begin": period.start.isoformat(), "einde": period.end.isoformat(),
            "peildatum": period.end.isoformat(), "sections": sections}


def section(report: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((s for s in report["sections"] if s["key"] == key), None)


def standcijfers_on(db: Engine, gemeente: str, first: date, second: date) -> dict[str, Any]:
    """Just the seed 003 table for two arbitrary reference dates."""
    a, b = (ladder.positions(history.load(db, gemeente, d)) for d in (first, second))
    return ladder.standcijfers(a, b, ladder.reference_label(first), ladder.reference_label(second))

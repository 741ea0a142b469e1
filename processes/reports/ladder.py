"""Participatieladder standcijfers and the from-to matrix (seed 003, "Resultaten participatieladder").

Seed 003 reports, per reference date, the number of people per trede and a *cumulative*
percentage counted from trede 1 upwards ("1. Geïsoleerd 64 18%", "2. ... 113 50%": 64 = 18% of
354 and 64+113 = 50%), each cumulative share rounded to a whole percent on its own (31 Dec 2012:
385 of 386 is 99.7%, shown as 100% on trede 5).

Where a trede is recorded (the submitted form data of the domain processes, seed 002 a.3):
``trede`` in the klantschets (moment instroom), in the yearly measurement (jaarlijks, or
uitstroom when ``uitgestroomd``), in the measurement at uitstroom (``meten_uitstroom``) and in the
Werkt mee toewijzing (start), ``tredeStart`` at the start and ``tredeEinde`` at the end of a
voorziening (an end in full outflow to work, ``volledigeUitstroom``, is an uitstroom: seed 002 H1 C
"Bij instroom, uitstroom en tenminste één keer per jaar"), ``behaaldeTrede`` at the end of Werkt
mee, ``tredeTussentijds`` in an evaluation. A person's trede on a date is their latest measurement
recorded by the end of that day. Counted are the people still in service on that date: their
latest measurement in a case not closed by then is not an uitstroom measurement.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from processes.reports.history import CaseEvents, Event, effective_completions

TREDEN = range(1, 7)
# Seed 003's own row labels, as in its results table.
LABELS = {
    1: "1. Geïsoleerd",
    2: "2. Sociale contacten buiten de deur",
    3: "3. Deelname aan georganiseerde activiteiten",
    4: "4. Onbetaald werk",
    5: "5. Betaald werk met ondersteuning",
    6: "6. Betaald werk",
}
_FIELD_MOMENTS = {
    "tredeStart": "voorziening_start",
    "tredeEinde": "voorziening_einde",
    "behaaldeTrede": "voorziening_einde",
    "tredeTussentijds": "tussentijds",
}
_TASK_MOMENTS = {"klantschets": "instroom", "meten": "jaarlijks", "meten_uitstroom": "uitstroom",
                 "toewijzing": "voorziening_start"}


@dataclass(frozen=True)
class Measurement:
    client_id: int
    case_id: int
    at: datetime
    seq: int
    trede: int
    moment: str


def _trede(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in TREDEN:
        return None
    return value


def measurements_of(event: Event, client_id: int, case_id: int) -> list[Measurement]:
    """The ladder measurements one completed task recorded (usually none or one)."""
    data = event.data
    found = []
    value = _trede(data.get("trede"))
    if value is not None:
        moment = _TASK_MOMENTS.get(event.task_name or "", "tussentijds")
        if moment == "jaarlijks" and data.get("uitgestroomd"):
            moment = "uitstroom"
        found.append(Measurement(client_id, case_id, event.at, event.seq, value, moment))
    for name, moment in _FIELD_MOMENTS.items():
        value = _trede(data.get(name))
        if name == "tredeEinde" and data.get("volledigeUitstroom") is True:
            moment = "uitstroom"
        if value is not None:
            found.append(Measurement(client_id, case_id, event.at, event.seq, value, moment))
    return found


def positions(histories: list[CaseEvents]) -> dict[int, int]:
    """client id -> trede, for every person in service at the end of the histories' cut-off.

    Measurements in a case closed by then no longer count (the dossier is closed); a person
    whose latest remaining measurement is the uitstroom measurement has left.
    """
    latest: dict[int, Measurement] = {}
    for history in histories:
        if history.closed():
            continue
        for event in effective_completions(history):
            for m in measurements_of(event, history.client_id, history.case_id):
                current = latest.get(m.client_id)
                if current is None or (m.at, m.case_id, m.seq) >= (current.at, current.case_id, current.seq):
                    latest[m.client_id] = m
    return {client: m.trede for client, m in latest.items() if m.moment != "uitstroom"}


def cumulative_percentages(counts: list[int]) -> list[int]:
    """Seed 003's percentage column: cumulative from trede 1, each rounded half up on its own."""
    total = sum(counts)
    result, running = [], 0
    for count in counts:
        running += count
        # integer arithmetic: 50.5% rounds to 51% exactly, no float surprises
        result.append((200 * running + total) // (2 * total) if total else 0)
    return result


def standcijfers(first: dict[int, int], second: dict[int, int], first_label: str,
                 second_label: str) -> dict[str, Any]:
    """The seed 003 table: per trede the count and cumulative % on two dates, totals underneath."""
    counts = [[sum(1 for t in people.values() if t == trede) for trede in TREDEN]
              for people in (first, second)]
    percents = [cumulative_percentages(c) for c in counts]
    rows = [[LABELS[trede], counts[0][i], f"{percents[0][i]}%", counts[1][i], f"{percents[1][i]}%"]
            for i, trede in enumerate(TREDEN)]
    rows.append(["", sum(counts[0]), "", sum(counts[1]), ""])
    return {"key": "standcijfers", "title": "Resultaten participatieladder: standcijfers",
            "columns": ["standcijfers", first_label, "", second_label, ""], "rows": rows,
            "counts": counts, "percentages": percents}


def matrix(first: dict[int, int], second: dict[int, int], first_label: str,
           second_label: str) -> dict[str, Any]:
    """From-to matrix: rows the trede on the first date, columns the trede on the second.

    People who joined in between are the row "ingestroomd", people who left the column
    "uitgestroomd", so row and column totals are the two standcijfers.
    """
    cells = {(a, b): 0 for a in (*TREDEN, 0) for b in (*TREDEN, 0)}
    for client in set(first) | set(second):
        cells[(first.get(client, 0), second.get(client, 0))] += 1
    columns = [f"{first_label} \\ {second_label}", *(f"trede {t}" for t in TREDEN), "uitgestroomd", "totaal"]
    rows = []
    for a in (*TREDEN, 0):
        values = [cells[(a, b)] for b in (*TREDEN, 0)]
        if a == 0:
            values[-1] = None  # in and out within the period: not in either standcijfer
        label = f"trede {a}" if a else "ingestroomd"
        rows.append([label, *values, sum(v or 0 for v in values)])
    totals = [sum(cells[(a, b)] for a in (*TREDEN, 0) if (a, b) != (0, 0)) for b in (*TREDEN, 0)]
    rows.append(["totaal", *totals, sum(totals)])
    return {"key": "overgangen", "title": "Overgangen op de ladder (van trede naar trede)",
            "columns": columns, "rows": rows}


def reference_label(day: date) -> str:
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    return f"{day.day} {months[day.month - 1]} {day.year}"

"""What a dossier tells at a glance (issue 18 item 7): the ladder as measured and the running voorzieningen.

Both are read from a case's chained events, so they say what the case's history says:

- a ladder measurement is one completed task that recorded a trede (``processes.reports.ladder``:
  klantschets, yearly measurement, start and end of a voorziening, evaluation), dated on the day the
  person entered as the measurement's date (``meetdatum``; ``startdatum`` for the beginmeting,
  ``einddatumWerkelijk`` for the eindmeting), the day of the completion only when the form had none.
  Seed 002 a.3 / seed 003: the ladder is measured at intake, yearly, at the start and end of a
  voorziening. A corrected (reopened) completion no longer counts; its re-completion does.
- a running voorziening is a running process instance whose completed tasks named a provider
  (``werkgever`` / ``aanbieder``), hours or dates; the latest value of each field counts (a
  verlenging moves the end date).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from processes.reports.history import CaseEvents, Event, effective_completions
from processes.reports.ladder import measurements_of

LOCAL = ZoneInfo("Europe/Amsterdam")
# The fields that date a measurement of each moment, first found wins (else the completion's day)
_DATE_FIELDS = {"voorziening_start": ("startdatum", "meetdatum"),
                "voorziening_einde": ("einddatumWerkelijk", "meetdatum")}
MOMENT_LABELS = {"instroom": "Diagnose (instroom)", "jaarlijks": "Jaarlijkse meting",
                 "uitstroom": "Uitstroommeting",
                 "voorziening_start": "Begin voorziening", "voorziening_einde": "Einde voorziening",
                 "tussentijds": "Tussentijdse meting"}
PROVIDER_FIELDS = ("werkgever", "aanbieder")
HOURS_FIELDS = ("urenPerWeek", "uren")
START_FIELDS = ("startdatum",)
END_FIELDS = ("einddatumWerkelijk", "geplandeEinddatum", "einddatum")


@dataclass(frozen=True)
class LadderMeting:
    """One measurement on the participatieladder, on the date it was measured."""

    gemeten_op: date
    trede: int
    moment: str
    case_number: str
    seq: int  # orders two measurements of one day

    @property
    def label(self) -> str:
        return MOMENT_LABELS.get(self.moment, self.moment)


@dataclass(frozen=True)
class LopendeVoorziening:
    case_number: str
    instance_id: int
    proces: str
    aanbieder: str | None
    uren_per_week: float | None
    startdatum: date | None
    einddatum: date | None


def _day(value: Any, fallback: datetime) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    return fallback.astimezone(LOCAL).date()


def ladder_history(case_number: str, history: CaseEvents) -> list[LadderMeting]:
    """The case's measurements, one per measurement, dated as entered."""
    found: list[LadderMeting] = []
    for event in effective_completions(history):
        for m in measurements_of(event, history.client_id, history.case_id):
            entered = _first(event.data, _DATE_FIELDS.get(m.moment, ("meetdatum",)))
            found.append(LadderMeting(_day(entered, event.at), m.trede, m.moment, case_number, event.seq))
    return found


def sorted_history(metingen: Iterable[LadderMeting]) -> list[LadderMeting]:
    return sorted(metingen, key=lambda m: (m.gemeten_op, m.case_number, m.seq))


def current_trede(metingen: Sequence[LadderMeting]) -> tuple[int, date] | None:
    """The latest measured trede and since when the person stands on it (the first measurement of
    the latest unbroken run at that trede). ``metingen`` in date order."""
    if not metingen:
        return None
    trede, since = metingen[-1].trede, metingen[-1].gemeten_op
    for m in reversed(metingen):
        if m.trede != trede:
            break
        since = m.gemeten_op
    return trede, since


def _first(data: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if data.get(name) not in (None, ""):
            return data[name]
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _date_or_none(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def running_voorzieningen(case_number: str, history: CaseEvents,
                          running: dict[int, str]) -> list[LopendeVoorziening]:
    """Voorzieningen still running in this case: ``running`` maps instance id -> process name."""
    merged: dict[int, dict[str, Any]] = {iid: dict(history.start_data.get(iid, {})) for iid in running}
    for event in effective_completions(history):
        if event.instance_id in merged:
            merged[event.instance_id].update({k: v for k, v in event.data.items() if v not in (None, "")})
    result = []
    for iid, data in merged.items():
        aanbieder = _first(data, PROVIDER_FIELDS)
        uren, start = _number(_first(data, HOURS_FIELDS)), _date_or_none(_first(data, START_FIELDS))
        if aanbieder is None and uren is None and start is None:
            continue  # a process without a placement (a diagnosis, a premium): not a voorziening
        result.append(LopendeVoorziening(case_number, iid, running[iid],
                                         None if aanbieder is None else str(aanbieder), uren, start,
                                         _date_or_none(_first(data, END_FIELDS))))
    return result


def case_events(case_id: int, case_number: str, client_id: int, events: Iterable[Any]) -> CaseEvents:
    """A case's history (engine journal events) in the shape the read models take."""
    found = CaseEvents(case_id, case_number, client_id)
    for e in events:
        payload = e.payload if isinstance(e.payload, dict) else {}
        event = Event(e.seq, e.kind, e.at, e.instance_id, e.task_id, e.task_name, payload)
        found.events.append(event)
        if event.kind == "instance_started" and event.instance_id is not None:
            found.processes[event.instance_id] = str(payload.get("process_id"))
            found.start_data[event.instance_id] = event.data
    return found

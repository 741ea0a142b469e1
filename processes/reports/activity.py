"""What happened in a period: outflow (seed 003 categories), trajectories by instrument,
legal deadlines met and missed, and Wassenaar's categories 1A-3B (seed 004 Tabel 3).

Each function gets the histories cut off at the end of the period, so a figure depends only on
what had been recorded by then.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from processes.outcomes import UITKOMSTEN
from processes.reports.history import CaseEvents, Event, effective_completions
from processes.reports.periods import Period, legal_day

# Seed 003 "Resultaten re-integratie": its rows, and the afronding outcomes each row counts.
BETAALD = [
    ("werk / eigen bedrijf", ("betaald_werk", "eigen_bedrijf")),
    ("wiw/id (gesubsidieerd werk)", ("gesubsidieerd_werk",)),
    ("PT werk + aanvullende uitkering", ("deeltijdwerk_met_aanvullende_uitkering",)),
]
ONBETAALD = [
    ("Vrijwilligerswerk", ("vrijwilligerswerk",)),
    ("werkervaring / stage", ("werkervaring_stage",)),
    ("participatieplaats", ("participatieplaats",)),
    ("arbeidsgewenning", ("arbeidsgewenning",)),
]
WASSENAAR_CATEGORIEEN = ("1A", "1B", "1C", "2A", "2B", "3A", "3B")
_END_TASKS = {"voorziening": "afronding", "werkt_mee": "resultaat"}
_START_TASKS = {"voorziening": "overeenkomst", "werkt_mee": "toewijzing"}


def _in(period: Period, event: Event) -> bool:
    return period.start <= legal_day(event.at) <= period.end


# The ladder's rungs (seed 003: "6 Betaald werk, 5 Betaald werk met ondersteuning, 4 Onbetaald werk,
# 3 Deelname georganiseerde activiteiten") as the result a person left with, for a result recorded as a
# trede only (a ladder measurement at uitstroom, a Werkt mee result): 6 is paid work, 5 paid work with
# support, which seed 003 counts as "wiw/id" (subsidised work), 4 unpaid work (vrijwilligerswerk), 3
# organised activities (arbeidsgewenning); below that no result.
UITKOMST_BIJ_TREDE = {6: "betaald_werk", 5: "gesubsidieerd_werk", 4: "vrijwilligerswerk",
                      3: "arbeidsgewenning"}
_BETAALD_KEYS = frozenset(k for _, keys in BETAALD for k in keys)


def _trede(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def recorded_results(history: CaseEvents, period: Period) -> list[tuple[str, bool]]:
    """Every outflow result recorded in the case in the period, as (outcome key, stated): stated when a
    form named the category, not when it follows from a trede. Sources (issue 19 item 11):
    - a voorziening's afronding (its uitstroomCategorie);
    - the uitstroom recorded for an uitstroompremie (in full: paid work; not in full: "PT werk +
      aanvullende uitkering", seed 003);
    - a ladder measurement at uitstroom (seed 002 H1 C: "bij instroom, uitstroom en tenminste één keer
      per jaar") and a Werkt mee result (seed 001 par. 7: the trede reached), by UITKOMST_BIJ_TREDE."""
    found: list[tuple[str, bool]] = []
    for event in effective_completions(history):
        if not _in(period, event):
            continue
        form, process = event.data, history.process_of(event)
        if event.task_name == "afronding":
            found.append((str(form.get("uitstroomCategorie") or "geen"), True))
        elif process == "uitstroompremie" and event.task_name == "uitstroom" and "volledigeUitstroom" in form:
            found.append(("betaald_werk" if form.get("volledigeUitstroom") else
                          "deeltijdwerk_met_aanvullende_uitkering", True))
        elif process == "ladder_jaarlijks" and event.task_name == "meten" and form.get("uitgestroomd"):
            found.append((UITKOMST_BIJ_TREDE.get(_trede(form.get("trede")) or 0, "geen"), False))
        elif process == "werkt_mee" and event.task_name == "resultaat" and "behaaldeTrede" in form:
            found.append((UITKOMST_BIJ_TREDE.get(_trede(form.get("behaaldeTrede")) or 0, "geen"), False))
    return found


def _per_person(found: list[tuple[str, bool]]) -> set[str]:
    """A person's results in the period, each once: the same outflow recorded twice (an afronding with
    paid work and the ladder measured at trede 6 when they left) counts once. A result that follows from
    a trede counts only where no form stated one of the same block (paid or unpaid work)."""
    stated = {key for key, explicit in found if explicit}
    blocks = {key in _BETAALD_KEYS for key in stated if key != "geen"}
    derived = {key for key, explicit in found if not explicit
               and key != "geen" and (key in _BETAALD_KEYS) not in blocks}
    return stated | derived | ({"geen"} if found and not (stated | derived) else set())


def uitstroom(histories: list[CaseEvents], period: Period) -> dict[str, Any]:
    """Outflow results recorded in the period by result category, in seed 003's two blocks: from every
    recorded result of a person (recorded_results), each result once per person."""
    seen: Counter[str] = Counter()
    for history in histories:
        seen.update(_per_person(recorded_results(history, period)))
    rows: list[list[Any]] = [["Betaalde arbeid", None]]
    rows += [[label, sum(seen[k] for k in keys)] for label, keys in BETAALD]
    rows += [["Niet betaalde arbeid", None]]
    rows += [[label, sum(seen[k] for k in keys)] for label, keys in ONBETAALD]
    known = {k for _, keys in BETAALD + ONBETAALD for k in keys}
    rows += [["Zonder resultaat of anders", sum(n for k, n in seen.items() if k not in known)]]
    betaald = sum(seen[k] for _, keys in BETAALD for k in keys)
    return {"key": "uitstroom", "title": "Resultaten re-integratie (resultaten vastgelegd in de periode)",
            "columns": ["Resultaat", "Aantal"], "rows": rows,
            "totals": {"betaald": betaald, "onbetaald": sum(seen[k] for _, keys in ONBETAALD for k in keys)},
            "labels": {u.key: u.label for u in UITKOMSTEN}}


def trajecten(histories: list[CaseEvents], period: Period) -> dict[str, Any]:
    """Trajectories per instrument: started (agreement recorded), ended (afronding) in the period,
    and running at its end."""
    started: Counter[str] = Counter()
    ended: Counter[str] = Counter()
    running: Counter[str] = Counter()
    for history in histories:
        begun: dict[int, str] = {}
        for event in effective_completions(history):
            process = history.process_of(event)
            if process not in _START_TASKS or event.instance_id is None:
                continue
            instrument = str(event.data.get("instrument") or history.start_data.get(event.instance_id, {})
                             .get("instrument") or "onbekend")
            if event.task_name == _START_TASKS[process]:
                begun[event.instance_id] = instrument
                started[instrument] += _in(period, event)
            elif event.task_name == _END_TASKS[process] and not event.data.get("verlengen"):
                ended[instrument] += _in(period, event)
                begun.pop(event.instance_id, None)
        running.update(begun.values())
    names = sorted(set(started) | set(ended) | set(running))
    rows = [[name.replace("_", " "), started[name], ended[name], running[name]] for name in names]
    rows.append(["totaal", sum(started.values()), sum(ended.values()), sum(running.values())])
    return {"key": "trajecten", "title": "Trajecten per instrument",
            "columns": ["Instrument", "Gestart", "Beëindigd", "Lopend op einddatum"], "rows": rows}


def termijnen(histories: list[CaseEvents], period: Period) -> dict[str, Any]:
    """Legal deadlines per name: met in time, met late, passed and still open, lapsed (vervallen).

    Read from the deadline events (``deadline_set`` .. ``deadline_closed``, each with the due
    date as it then stood), not from the deadline table, which only knows the present.
    """
    state: dict[tuple[int, Any], dict[str, Any]] = {}
    for history in histories:
        for event in history.events:
            if not event.kind.startswith("deadline_"):
                continue
            key = (history.case_id, event.payload.get("deadline_id"))
            entry = state.setdefault(key, {"name": event.payload.get("name"), "closed": None})
            entry["due"] = _as_date(event.payload.get("due_date"))
            if event.kind == "deadline_closed":
                entry["closed"] = (legal_day(event.at), event.payload.get("status", "voldaan"))
    rows: dict[str, list[int]] = {}
    for entry in state.values():
        due, closed = entry["due"], entry["closed"]
        counts = rows.setdefault(str(entry["name"]), [0, 0, 0, 0])
        if closed is not None and period.start <= closed[0] <= period.end:
            if closed[1] == "vervallen":
                counts[3] += 1
            else:
                counts[0 if due is None or closed[0] <= due else 1] += 1
        elif closed is None and due is not None and due < period.end:
            counts[2] += 1  # overdue at the end of the period (the due day itself still counts)
    table = [[name, *counts] for name, counts in sorted(rows.items()) if any(counts)]
    table.append(["totaal", *(sum(r[i] for r in table) for i in range(1, 5))])
    return {"key": "termijnen", "title": "Wettelijke termijnen",
            "columns": ["Termijn", "Tijdig voldaan", "Te laat voldaan", "Verlopen en nog open", "Vervallen"],
            "rows": table}


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        return date.fromisoformat(value[:10])
    return None


def wassenaar_categorieen(histories: list[CaseEvents], in_service: dict[int, int]) -> dict[str, Any]:
    """Seed 004 Tabel 3: people in service at the end of the period per categorie.

    The categorie is the output of the WassenaarCategorie decision that the intake (klantschets)
    and the evaluation (gesprek) ran. It is not stored in the event payloads, so it is decided
    again from the inputs those tasks recorded, with the rule version in force on the step's own
    date, exactly as the business rule task did (the rule packs keep every version).
    """
    from processes.decisions.errors import DecisionError
    from processes.decisions.service import get_decision_service, reference_date

    service = get_decision_service()
    latest: dict[int, tuple[Any, str]] = {}
    for history in histories:
        merged: dict[int, dict[str, Any]] = {k: dict(v) for k, v in history.start_data.items()}
        for event in effective_completions(history):
            data = merged.setdefault(event.instance_id or 0, {})
            data.update(event.data)
            if event.task_name not in ("klantschets", "gesprek"):
                continue
            if data.get("maandenTotBemiddelbaar") is None:
                continue
            inputs = {"maandenTotBemiddelbaar": data["maandenTotBemiddelbaar"],
                      "banenafspraakOfBeschut": bool(data.get("banenafspraakOfBeschut")),
                      "ontheffing": bool(data.get("ontheffing"))}
            on = reference_date(data, legal_day(event.at))
            try:
                outputs = service.decide("WassenaarCategorie", "wassenaar", inputs, on).outputs_json()
            except DecisionError:
                continue  # no rules in force on that date: the task did not categorise either
            key = (event.at, history.case_id, event.seq)
            if history.client_id not in latest or key >= latest[history.client_id][0]:
                latest[history.client_id] = (key, str(outputs.get("categorie")))
    seen = Counter(cat for client, (_, cat) in latest.items() if client in in_service)
    rows = [[c, seen[c]] for c in WASSENAAR_CATEGORIEEN]
    rows.append(["totaal", sum(seen[c] for c in WASSENAAR_CATEGORIEEN)])
    return {"key": "categorieen", "title": "Categorieën (afstand tot de arbeidsmarkt, Wassenaar)",
            "columns": ["Categorie", "Aantal"], "rows": rows}

"""The ladder as measured and the running voorzieningen, read from a case's events (issue 18 item 7).

Seed 002 (../shared/domain/rules-from-the-seeds.md a.3): "Bij instroom, uitstroom en tenminste één keer
per jaar wordt de actuele positie en het groeipotentieel ... bepaald en vastgelegd" and "Bij aanvang en
bij het einde van de inzet van een re-integratievoorziening, wordt de positie ... vastgelegd": every
measurement is one row in the dossier, on the date the person entered for it.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from processes.dossier_story import current_trede, ladder_history, running_voorzieningen, sorted_history
from processes.reports.history import CaseEvents, Event

TODAY = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)


def _case(*events: Event) -> CaseEvents:
    found = CaseEvents(1, "Z2026-000001", 7, list(events))
    for e in events:
        if e.kind == "instance_started" and e.instance_id is not None:
            found.processes[e.instance_id] = str(e.payload.get("process_id"))
            found.start_data[e.instance_id] = e.data
    return found


def _done(seq: int, task: str, data: dict, instance: int = 1, task_id: str | None = None) -> Event:
    return Event(seq, "task_completed", TODAY, instance, task_id or f"t{seq}", task, {"data": data})


def test_one_diagnosis_is_one_row_on_the_meetdatum_entered():
    # the diagnosis hands its trede on to the plan and the voorziening it starts: still one measurement
    history = _case(
        Event(1, "instance_started", TODAY, 1, None, None, {"process_id": "klant_in_beeld", "data": {}}),
        _done(2, "klantschets", {"trede": 2, "meetdatum": "2026-11-02", "groeipotentieel": "gemiddeld"}),
        Event(3, "instance_started", TODAY, 2, None, None,
              {"process_id": "voorziening", "data": {"trede": 2, "instrument": "werkstage"}}),
        _done(4, "besluiten", {"besluit": "toekennen"}, instance=2),
    )
    metingen = ladder_history("Z2026-000001", history)
    assert [(m.gemeten_op, m.trede, m.label) for m in metingen] == [
        (date(2026, 11, 2), 2, "Diagnose (instroom)")]


def test_begin_and_end_measurements_are_dated_by_the_placement_and_since_counts_the_run():
    history = _case(
        _done(1, "klantschets", {"trede": 2, "meetdatum": "2026-01-10"}),
        _done(2, "overeenkomst", {"werkgever": "Kringloop De Schakel", "urenPerWeek": 16,
                                  "startdatum": "2026-02-01", "tredeStart": 3}, instance=2),
        _done(3, "evaluatie", {"tredeTussentijds": 3, "meetdatum": "2026-06-01"}, instance=2),
        _done(4, "afronding", {"tredeEinde": 4, "einddatumWerkelijk": "2026-09-30"}, instance=2),
    )
    metingen = sorted_history(ladder_history("Z2026-000001", history))
    assert [(m.gemeten_op, m.trede) for m in metingen] == [
        (date(2026, 1, 10), 2), (date(2026, 2, 1), 3), (date(2026, 6, 1), 3), (date(2026, 9, 30), 4)]
    assert current_trede(metingen) == (4, date(2026, 9, 30))
    assert current_trede(metingen[:3]) == (3, date(2026, 2, 1))  # on trede 3 since the placement began
    assert current_trede([]) is None


def test_a_reopened_completion_no_longer_counts_its_recompletion_does():
    history = _case(
        _done(1, "klantschets", {"trede": 5, "meetdatum": "2026-03-02"}, task_id="k"),
        Event(2, "task_corrected", TODAY, 1, "k", "klantschets", {"reason": "tikfout"}),
        _done(3, "klantschets", {"trede": 2, "meetdatum": "2026-03-02"}, task_id="k"),
    )
    assert [m.trede for m in ladder_history("Z", history)] == [2]


def test_a_running_voorziening_shows_provider_hours_and_dates_the_latest_end_date_counts():
    history = _case(
        Event(1, "instance_started", TODAY, 2, None, None,
              {"process_id": "voorziening", "data": {"trede": 2}}),
        _done(2, "overeenkomst", {"werkgever": "Kringloop De Schakel", "urenPerWeek": 16,
                                  "startdatum": "2026-02-01", "geplandeEinddatum": "2026-08-01"}, instance=2),
        _done(3, "verlenging_besluiten", {"geplandeEinddatum": "2027-02-01"}, instance=2),
        Event(4, "instance_started", TODAY, 3, None, None, {"process_id": "uitstroompremie", "data": {}}),
    )
    (found,) = running_voorzieningen("Z1", history, {2: "Voorziening", 3: "Uitstroompremie"})
    assert (found.proces, found.aanbieder, found.uren_per_week, found.startdatum, found.einddatum) == (
        "Voorziening", "Kringloop De Schakel", 16.0, date(2026, 2, 1), date(2027, 2, 1))

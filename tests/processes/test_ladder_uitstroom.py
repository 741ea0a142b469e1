"""The ladder at uitstroom (issue 19 item 7). Seed 002 (Ooststellingwerf, Beleidsregels
Participatiewet re-integratie 2024), H1 Doelgroep Participatiewet, C: "Bij instroom, uitstroom en
tenminste één keer per jaar wordt de actuele positie en het groeipotentieel van de persoon op de
Participatieladder bepaald en vastgelegd."

A dossier is walked from the intake (klant_in_beeld, which plans the yearly measurement) through a
werkstage that ends early in full outflow to work: the uitstroom measurement is asked at once, the
yearly measurement stops, and the person leaves the standcijfers (seed 003's table, built by
processes/reports) while the case stays open.
"""

from __future__ import annotations

from datetime import date

from processes.reports.quarterly import standcijfers_on
from tests.processes.helpers import (
    TEAMLEIDER,
    advance_to,
    data,
    do,
    instance_of,
    make_engine,
    processes,
    task,
    task_names,
)
from tests.processes.test_klant_in_beeld import klantschets
from tests.processes.test_voorziening import afronding, overeenkomst

BSN = "999990019"
GEMEENTE = "ooststellingwerf"
PERSOONLIJK = {"relatie": "alleenstaand", "woonsituatie": "huur", "schulden": False,
               "onderzoekArbeidsinschakelingNodig": False, "casemanager": "cm.devries"}


def in_werkstage(engine):
    """Intake on 3 March 2025 at trede 4, a werkstage from 1 April."""
    case, intake = engine.start_case(GEMEENTE, BSN, "Jeroen Postma", "klant_in_beeld", {"gemeente": GEMEENTE})
    do(engine, case.id, "persoonlijk", PERSOONLIJK)
    do(engine, case.id, "klantschets", klantschets(trede=4, arbeidsmarktBinnen1JaarHaalbaar=True))
    do(engine, case.id, "plan", {"doelen": "Werkervaring opdoen in de bouw.",
                                 "afspraken": "Vier dagen per week.",
                                 "instrument": "werkstage", "aanvullendInstrument": "geen"})
    do(engine, case.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 4)})
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "overeenkomst", overeenkomst(date(2025, 4, 1), tredeStart=4))
    return case


def counts(engine, day: date) -> list[int]:
    """Seed 003's standcijfers on ``day``: people per trede 1-6 (both columns the same day)."""
    return standcijfers_on(engine.db, GEMEENTE, day, day)["counts"][0]


def test_full_outflow_to_work_asks_the_uitstroom_measurement_and_stops_the_yearly_one(db):
    engine = make_engine(db)
    case = in_werkstage(engine)
    yearly = instance_of(engine, case.id, "ladder_jaarlijks")
    assert data(engine, yearly)["volgendeMeting"] == "2026-03-03"  # a year after the instroom measurement
    assert counts(engine, date(2025, 4, 1)) == [0, 0, 0, 1, 0, 0]

    # 16 June 2025: found a job, the werkstage ends and the benefit stops entirely
    advance_to(engine, date(2025, 6, 16))
    assert engine.deliver_message("VoortijdigBeeindigd", {"reden": "werk gevonden"}, case_id=case.id) == 1
    do(engine, case.id, "afronding", afronding(
        date(2025, 6, 16), tredeEinde=6, uitstroomCategorie="betaald_werk", volledigeUitstroom=True,
        indiensttreding=date(2025, 6, 16)))

    # the uitstroom measurement is asked now, of the case's own casemanager
    meting = task(engine, case.id, "meten_uitstroom")
    assert meting.title == "Ladderpositie en groeipotentieel bij uitstroom bepalen"
    assert meting.claimed_by == "cm.devries"
    # the yearly measurement stopped: it no longer waits for 3 March 2026
    assert (yearly, "ladder_jaarlijks", "completed") in processes(engine, case.id)
    running = [p for _, p, s in processes(engine, case.id) if s == "running"]
    assert running == ["uitstroompremie", "ladder_jaarlijks"]
    # the afronding recorded full outflow: the person left the standcijfers that day, case open
    assert counts(engine, date(2025, 6, 15)) == [0, 0, 0, 1, 0, 0]
    assert counts(engine, date(2025, 6, 16)) == [0, 0, 0, 0, 0, 0]

    do(engine, case.id, "meten_uitstroom",
       {"trede": 6, "groeipotentieel": "geen", "meetdatum": date(2025, 6, 17)})
    uitstroom = instance_of(engine, case.id, "ladder_jaarlijks")
    assert data(engine, uitstroom)["laatsteLadderMeting"] == {
        "moment": "uitstroom", "trede": 6, "groeipotentieel": "geen", "datum": "2025-06-17"}
    # nothing planned after it: a year on no measurement is asked and nobody counts on trede 6
    assert [p for _, p, s in processes(engine, case.id) if s == "running"] == ["uitstroompremie"]
    advance_to(engine, date(2026, 3, 4))
    assert "meten" not in task_names(engine, case.id)
    assert counts(engine, date(2026, 3, 4)) == [0, 0, 0, 0, 0, 0]
    assert not any(e.kind == "case_closed" for e in engine.history(case.id))  # nobody closed it by hand
    assert engine.verify(case.id).ok


def test_an_ending_without_full_outflow_keeps_the_yearly_measurement(db):
    engine = make_engine(db)
    case = in_werkstage(engine)
    advance_to(engine, date(2025, 10, 1))
    do(engine, case.id, "verlenging_beoordelen", {"verlengen": False})
    do(engine, case.id, "afronding", afronding(date(2025, 10, 1), tredeEinde=5,
                                               uitstroomCategorie="deeltijdwerk_met_aanvullende_uitkering"))
    assert "meten_uitstroom" not in task_names(engine, case.id)
    # still in service on trede 5 (seed 003 counts the latest measurement), measured again a year on
    assert counts(engine, date(2025, 10, 1)) == [0, 0, 0, 0, 1, 0]
    assert advance_to(engine, date(2026, 3, 3)) == 1
    assert task_names(engine, case.id) == ["meten"]

"""Woerden's intake runs Woerden's own rules (issue 19 item 12): the 2013 kaders of seed 003
("Kaders participatie en re-integratie", Woerden, 23 mei 2013) as the InstrumentGeschiktheid of its
pack (bpmn/rules/woerden/2013-05-23), not the defaults:
- "goede diagnose aan de kop van het proces": a traject is proposed only after the diagnosis (klant in
  beeld) has placed the person on the ladder, and without a trede none is;
- 'meedoen meten m.b.v. de "participatieladder"': the proposal follows the trede, which is measured at
  instroom and then yearly;
- '"De Sluis" is onze re-integratiepartner': every proposed traject names De Sluis;
- "participatietrajecten: zorg, begeleiding, stage /werkervaringsplaatsen; reïntegratietrajecten: ...
  leerwerkbanen".
"""

from __future__ import annotations

from datetime import date

from processes.decisions import DecisionService
from tests.processes.helpers import data, do, instance_of, make_engine, processes, task_names
from tests.processes.test_klant_in_beeld import PERSOONLIJK, klantschets

BSN = "999990019"


def intake(engine, trede):
    case, inst = engine.start_case("woerden", BSN, "Sanne van Leeuwen", "klant_in_beeld",
                                   {"gemeente": "woerden"})
    do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False})
    assert task_names(engine, case.id) == ["klantschets"]  # the diagnosis comes first
    do(engine, case.id, "klantschets", klantschets(trede=trede))
    return case, inst


def test_woerden_intake_proposes_trajects_by_the_ladder_with_de_sluis(db):
    engine = make_engine(db)
    case, inst = intake(engine, 3)
    seen = data(engine, inst)
    # trede 3: a stage/werkervaringsplaats (participatietraject) or a leerwerkbaan (reïntegratietraject)
    assert seen["geschikteInstrumenten"] == ["werkstage", "leerwerkplek"]
    trace = seen["beslissing_InstrumentGeschiktheid"]
    assert (trace["gemeente"], trace["versie"]) == ("woerden", "2013-05-23")
    assert all('"De Sluis", onze re-integratiepartner' in rule["omschrijving"] for rule in trace["regels"])
    assert seen["laatsteLadderMeting"]["moment"] == "instroom"  # the ladder measured at instroom
    do(engine, case.id, "plan", {"doelen": "Werkervaring opdoen.", "instrument": "werkstage",
                                 "aanvullendInstrument": "geen"})
    do(engine, case.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 3)})
    started = [p for _, p, _ in processes(engine, case.id)]
    assert started == ["klant_in_beeld", "ladder_jaarlijks", "voorziening"]
    # and yearly after that ("meedoen meten m.b.v. de participatieladder")
    assert data(engine, instance_of(engine, case.id, "ladder_jaarlijks"))["volgendeMeting"] == "2026-03-03"
    assert engine.verify(case.id).ok


def test_woerden_trede_1_gets_sociale_activering_and_trede_6_no_traject(db):
    engine = make_engine(db)
    case, inst = intake(engine, 1)
    assert data(engine, inst)["geschikteInstrumenten"] == ["sociale_activering"]  # zorg, begeleiding


def test_without_a_measured_trede_nothing_is_proposed():
    service = DecisionService()
    on = date(2025, 3, 3)
    assert service.decide("InstrumentGeschiktheid", "woerden", {}, on).outputs["instrument"] == []
    assert service.decide("InstrumentGeschiktheid", "woerden", {"trede": 6}, on).outputs["instrument"] == []

"""Access of nuggers, Anw-ers, the LKS doelgroep and beschut werk (issue 19 item 8). Seed 002
(Ooststellingwerf, Beleidsregels Participatiewet re-integratie 2024), "Doelgroep
niet-uitkeringsgerechtigden, Anw, LKS en Beschut Werk", C. Voorwaarden: "Om voor ondersteuning in
aanmerking te komen, geldt ... dat: a. zij niet of minder dan 12 uur per week werken (voor niet
uitkeringsgerechtigden en Anw); b. zij minimaal 12 uur per week beschikbaar zijn voor werk (LKS en
Beschut Werk); c. ... registreren als werkzoekende bij het [UWV]; d. zij zich melden op eigen
initiatief; e. zij zich actief inzetten voor het plan van aanpak, bij onvoldoende mee werken aan het
plan van aanpak beëindigt het college de dienstverlening; f. zij het plan van aanpak
ondertekenen/accorderen." Aanvullend: nug and Anw get the basisdienstverlening, "geen individuele
begeleiding en trajecten" unless the college finds it necessary; E: at most € 5.000 per voorziening.

The intake (klant_in_beeld) calls ToegangDoelgroep once the plan is signed; the teamleider decides
and a beschikking follows; the non-cooperation message puts the ending to the teamleider.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from engine.errors import StepFailed
from processes import beschikking, documents
from tests.processes.helpers import (
    TEAMLEIDER,
    data,
    do,
    instance_of,
    make_engine,
    processes,
    task,
    task_names,
)
from tests.processes.test_klant_in_beeld import klantschets
from tests.processes.test_voorziening import overeenkomst

BSN = "999990019"
GEMEENTE = "ooststellingwerf"
PERSOONLIJK = {"relatie": "alleenstaand", "woonsituatie": "huur", "schulden": False,
               "onderzoekArbeidsinschakelingNodig": False, "casemanager": "cm.devries"}
NUG = {"doelgroep": "nug", "bijstand": False, "urenWerk": 8, "uwvIngeschreven": True, "eigenInitiatief": True}


def signed_plan(engine, schets: dict, instrument: str = "geen"):
    case, intake = engine.start_case(GEMEENTE, BSN, "Sanne Dijkstra", "klant_in_beeld",
                                     {"gemeente": GEMEENTE})
    do(engine, case.id, "persoonlijk", PERSOONLIJK)
    do(engine, case.id, "klantschets", klantschets(trede=3, **schets))
    do(engine, case.id, "plan", {"doelen": "Terug naar werk in de zorg.",
                                 "afspraken": "Sollicitatietraining.",
                                 "instrument": instrument, "aanvullendInstrument": "geen"})
    do(engine, case.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 5)})
    return case, intake


def letters(engine, case_id):
    return beschikking.BezwaarService(engine).list(case_id)[0]


def pdf_text(engine, letter) -> str:
    _, content = documents.Documents(engine).download(letter.document_id)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_nugger_gets_the_basisdienstverlening_and_the_college_ends_it_when_she_does_not_cooperate(db):
    engine = make_engine(db)
    case, intake = signed_plan(engine, NUG)
    # the rules propose (seed 002 doelgroep nug C, a-d and f; Aanvullend; E: EUR 5.000 per voorziening)
    proposal = data(engine, intake)
    outcome = (proposal["toegang"], proposal["dienstverleningsniveau"],
               proposal["maxVergoedingPerVoorziening"])
    assert outcome == (True, "basis", 5000)
    decide = task(engine, case.id, "toegang_besluiten")
    assert (decide.title, decide.lane) == ("Toegang tot de dienstverlening besluiten", "teamleider")
    assert "ladder_jaarlijks" not in [p for _, p, _ in processes(engine, case.id)]  # nothing before access
    do(engine, case.id, "toegang_besluiten", {"toegangsbesluit": "toekennen"}, actor=TEAMLEIDER)

    (letter,) = letters(engine, case.id)
    assert (letter.besluit, letter.onderwerp) == ("toekennen", "Ondersteuning bij re-integratie")
    assert "basisdienstverlening (ten hoogste EUR 5.000 per voorziening)" in letter.motivering
    # the service runs: the yearly ladder measurement is planned and the intake watches condition e
    assert [(p, s) for _, p, s in processes(engine, case.id)] == [
        ("klant_in_beeld", "running"), ("ladder_jaarlijks", "running")]

    # e: "bij onvoldoende mee werken aan het plan van aanpak beëindigt het college de dienstverlening"
    assert engine.deliver_message("OnvoldoendeMedewerking", {"reden": "drie bijeenkomsten niet verschenen"},
                                  case_id=case.id) == 1
    ending = task(engine, case.id, "beeindiging_besluiten")
    assert ending.lane == "teamleider"
    assert data(engine, intake)["meldingReden"] == "drie bijeenkomsten niet verschenen"
    with pytest.raises(StepFailed, match="Motivering is verplicht"):
        do(engine, case.id, "beeindiging_besluiten", {"beeindigingsbesluit": "beeindigen"}, actor=TEAMLEIDER)
    # first the teamleider gives her another chance; the next report ends the service
    do(engine, case.id, "beeindiging_besluiten", {"beeindigingsbesluit": "voortzetten",
                                                  "beeindigingMotivering": "Afspraak gemaakt; laatste kans."},
       actor=TEAMLEIDER)
    assert task_names(engine, case.id) == []
    engine.deliver_message("OnvoldoendeMedewerking", {"reden": "weer niet verschenen"}, case_id=case.id)
    do(engine, case.id, "beeindiging_besluiten",
       {"beeindigingsbesluit": "beeindigen", "beeindigingMotivering": "Afspraken opnieuw niet nagekomen."},
       actor=TEAMLEIDER)
    # the ending is a beschikking, open to bezwaar (Awb 1:3, 6:7)
    _, ending_letter = letters(engine, case.id)
    assert (ending_letter.besluit, ending_letter.onderwerp) == ("beeindigen", "Re-integratiedienstverlening")
    assert ending_letter.motivering.endswith("Afspraken opnieuw niet nagekomen.")
    text = pdf_text(engine, ending_letter)
    assert "Besluit: wij beëindigen uw re-integratiedienstverlening." in text and "Bezwaar maken" in text
    # the service ends: the uitstroom ladder measurement is asked and the yearly one stops (seed 002 H1 C)
    assert task_names(engine, case.id) == ["meten_uitstroom"]
    assert [(p, s) for _, p, s in processes(engine, case.id)] == [
        ("klant_in_beeld", "completed"), ("ladder_jaarlijks", "completed"), ("ladder_jaarlijks", "running")]
    assert engine.verify(case.id).ok


def test_an_anw_er_who_works_twelve_hours_or_more_is_refused_by_beschikking(db):
    engine = make_engine(db)
    case, intake = signed_plan(engine, {**NUG, "doelgroep": "anw", "urenWerk": 16})
    proposal = data(engine, intake)
    # a: "zij niet of minder dan 12 uur per week werken (voor niet uitkeringsgerechtigden en Anw)"
    assert proposal["toegang"] is False
    assert proposal["beslissing_ToegangDoelgroep"]["regel"]["id"] == "r1_nug_anw_werkt_12_uur"
    with pytest.raises(StepFailed, match="Motivering is verplicht"):
        do(engine, case.id, "toegang_besluiten", {"toegangsbesluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "toegang_besluiten", {"toegangsbesluit": "afwijzen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    assert letter.besluit == "afwijzen"
    assert "niet aan de voorwaarden" in letter.motivering
    # no access: no ladder measurement, no voorziening, the intake ends
    assert processes(engine, case.id) == [(intake, "klant_in_beeld", "completed")]


def test_an_individual_voorziening_for_a_nugger_needs_a_reason_and_ending_the_service_stops_it(db):
    engine = make_engine(db)
    case, intake = signed_plan(engine, NUG, instrument="werkstage")
    # Aanvullend: "Uitgangspunt is dat er geen individuele begeleiding en trajecten aangeboden worden.
    # Hiervan kan worden afgeweken als ... in het individuele geval noodzakelijk"
    with pytest.raises(StepFailed, match="basisdienstverlening"):
        do(engine, case.id, "toegang_besluiten", {"toegangsbesluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "toegang_besluiten", {
        "toegangsbesluit": "toekennen", "afwijkingBasis": "Werkgever biedt aansluitend een contract."},
        actor=TEAMLEIDER)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "overeenkomst", overeenkomst(date(2025, 4, 1)))
    voorziening = instance_of(engine, case.id, "voorziening")

    engine.deliver_message("OnvoldoendeMedewerking", {"reden": "stage afgebroken"}, case_id=case.id)
    do(engine, case.id, "beeindiging_besluiten", {"beeindigingsbesluit": "beeindigen",
                                                  "beeindigingMotivering": "Zonder bericht gestopt."},
       actor=TEAMLEIDER)
    # the werkstage in uitvoering is ended early: its afronding waits, with the reason
    assert sorted(task_names(engine, case.id)) == ["afronding", "meten_uitstroom"]
    assert data(engine, voorziening)["voortijdigBeeindigd"] is True
    assert engine.verify(case.id).ok


def test_uitkering_and_other_gemeenten_go_on_without_the_access_decision(db):
    engine = make_engine(db)
    case, _ = signed_plan(engine, {})  # Participatiewet-uitkering: the seed's own doelgroep
    assert "toegang_besluiten" not in task_names(engine, case.id)
    assert "ladder_jaarlijks" in [p for _, p, _ in processes(engine, case.id)]
    other, intake = engine.start_case("woerden", "999990020", "Kees Visser", "klant_in_beeld",
                                      {"gemeente": "woerden"})
    do(engine, other.id, "persoonlijk", PERSOONLIJK)
    do(engine, other.id, "klantschets", klantschets(trede=3, **NUG))
    do(engine, other.id, "plan", {"doelen": "Werk.", "afspraken": "Solliciteren.", "instrument": "geen",
                                  "aanvullendInstrument": "geen"})
    do(engine, other.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 5)})
    # the rule is Ooststellingwerf's (seed 002); Woerden's intake goes on as before
    assert processes(engine, other.id)[0] == (intake, "klant_in_beeld", "completed")


def test_the_lks_doelgroep_needs_twelve_hours_available_and_may_use_every_voorziening(db):
    engine = make_engine(db)
    lks = {"doelgroep": "lks", "bijstand": False, "urenBeschikbaar": 10, "uwvIngeschreven": True,
           "eigenInitiatief": True}
    case, intake = signed_plan(engine, lks, instrument="werkstage")
    # b: "zij minimaal 12 uur per week beschikbaar zijn voor werk (voor de doelgroep loonkostensubsidie
    # en Beschut Werk)"
    assert data(engine, intake)["toegang"] is False
    do(engine, case.id, "toegang_besluiten", {"toegangsbesluit": "afwijzen"}, actor=TEAMLEIDER)

    engine2 = engine
    other, intake2 = engine2.start_case(GEMEENTE, "999990020", "Rik Hoekstra", "klant_in_beeld",
                                        {"gemeente": GEMEENTE})
    do(engine2, other.id, "persoonlijk", PERSOONLIJK)
    do(engine2, other.id, "klantschets", klantschets(trede=3, **{**lks, "urenBeschikbaar": 24}))
    do(engine2, other.id, "plan", {"doelen": "Werk met loonkostensubsidie.", "afspraken": "Werkstage.",
                                   "instrument": "werkstage", "aanvullendInstrument": "geen"})
    do(engine2, other.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 5)})
    # Aanvullend: "Voor de doelgroep beschut werk en loonkostensubsidie geldt dat zij gebruik kunnen
    # maken van alle voorzieningen": no basis level, no maximum, no reason needed for the werkstage
    proposal = data(engine2, intake2)
    outcome = (proposal["toegang"], proposal["dienstverleningsniveau"],
               proposal["maxVergoedingPerVoorziening"])
    assert outcome == (True, "volledig", None)
    do(engine2, other.id, "toegang_besluiten", {"toegangsbesluit": "toekennen"}, actor=TEAMLEIDER)
    assert task(engine2, other.id, "besluiten").process_id == "voorziening"

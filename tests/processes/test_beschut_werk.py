"""Beschut werk end to end (seed 002 art 12): UWV advice by message, the college's vaststelling as a
beschikking, placement in a dienstbetrekking, no term of validity, herindicatie that ends it."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import StepFailed
from processes import beschikking
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

BSN = "999990135"
ADVIES = "UWVAdviesBeschutWerkOntvangen"
PLAATSING = {
    "werkgever": "Caparis NV, Oosterwolde",
    "startdatum": date(2025, 6, 1),
    "urenPerWeek": 24,
    "loonTenMinsteWml": True,
    "aansprakelijkheidsverzekering": True,
    "aanpassingJobcarving": True,
    "aanpassingBegeleidingTempoArbeidsduur": True,
}


def start(engine, initiator="college", bsn=BSN, naam="Jelle Bosma"):
    case, inst = engine.start_case(
        "ooststellingwerf", bsn, naam, "beschut_werk", {"gemeente": "ooststellingwerf"}
    )
    do(
        engine,
        case.id,
        "verzoek",
        {
            "initiator": initiator,
            "datumVerzoek": date(2025, 3, 3),
            "urenBeschikbaar": 24,
            "toelichting": "Heeft blijvend intensieve begeleiding en een aangepast tempo nodig.",
        },
    )
    return case, inst


def letters(engine, case_id):
    return beschikking.BezwaarService(engine).list(case_id)[0]


def test_positive_advice_placement_without_expiry_until_a_herindicatie_ends_it(db):
    engine = make_engine(db)
    case, inst = start(engine)
    # art 12 C: UWV decides "na een verzoek van de persoon zelf of het college": here the college asks
    do(engine, case.id, "adviesaanvraag", {"adviesaanvraagVerzondenOp": date(2025, 3, 4)})
    assert task_names(engine, case.id) == []  # waiting for UWV
    engine.deliver_message(ADVIES, {"positief": True, "datum": "2025-04-10"}, case_id=case.id)
    assert task(engine, case.id, "doelgroep_vaststellen").lane == "teamleider"
    do(engine, case.id, "doelgroep_vaststellen", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    assert (letter.besluit, letter.onderwerp) == ("toekennen", "Beschut werk: vaststelling doelgroep")
    assert "art. 12 B" in letter.regel and "positieve advies" in letter.motivering

    # art 12 E: "salaris ten minste ten hoogte van het wettelijk minimumloon"
    with pytest.raises(StepFailed, match="minimumloon"):
        do(engine, case.id, "plaatsing", {**PLAATSING, "loonTenMinsteWml": False})
    quotum = {"taakstellingJaar": 12, "positieveAdviezenJaar": 9, "gerealiseerdJaar": 7}
    do(engine, case.id, "plaatsing", {**PLAATSING, **quotum, "lksAanvragen": True})
    # art 12 C: "Bij een lager aantal positieve adviezen van UWV blijft de verplichting beperkt tot
    # dat aantal": 9, of which 7 realised
    placed = data(engine, inst)
    assert (placed["quotumVerplichting"], placed["quotumRuimte"]) == (9, 2)
    # art 12 E: "De werkgever komt vaak in aanmerking voor loonkostensubsidie": its own process
    lks = instance_of(engine, case.id, "loonkostensubsidie")
    assert task_names(engine, case.id) == ["aanvraag"]

    # art 12 D: "Aan de indicatie beschut werk zit geen geldigheidstermijn": years later, nothing fires
    assert advance_to(engine, date(2030, 6, 1)) == 0
    assert (inst, "beschut_werk", "running") in processes(engine, case.id)

    # art 12 D: a changed situation -> herindicatie -> "kan de indicatie worden beëindigd"
    engine.deliver_message("SituatieGewijzigd", {"datum": "2030-06-01"}, case_id=case.id)
    do(
        engine,
        case.id,
        "herindicatie",
        {"gewijzigdeSituatie": "Werkt zelfstandig, begeleiding afgebouwd.",
         "herindicatieAangevraagdOp": date(2030, 6, 2)},
    )
    engine.deliver_message(ADVIES, {"positief": False, "datum": "2030-07-15"}, case_id=case.id)
    with pytest.raises(StepFailed, match="Motivering"):
        do(engine, case.id, "herindicatie_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "herindicatie_besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    _, second = letters(engine, case.id)
    assert (second.besluit, second.onderwerp) == ("afwijzen", "Beschut werk: voortzetting na herindicatie")
    assert "wordt beëindigd" in second.motivering and "art. 12 D" in second.regel
    assert processes(engine, case.id) == [
        (inst, "beschut_werk", "completed"),
        (lks, "loonkostensubsidie", "running"),
    ]
    assert engine.verify(case.id).ok


def test_negative_advice_cannot_be_granted_and_the_refusal_is_a_beschikking(db):
    engine = make_engine(db)
    case, inst = start(engine, initiator="inwoner")
    # the person asked UWV directly (art 12 C; "Sinds 1 januari 2017 kan de inwoner ook zelf aan het UWV")
    assert task_names(engine, case.id) == []
    engine.deliver_message(ADVIES, {"positief": False, "datum": "2025-04-10"}, case_id=case.id)
    # art 12 B: "Het UWV heeft een positief advies beschut werk afgegeven ... en het college heeft op
    # basis hiervan vastgesteld": no positive advice, no vaststelling, not even with a motivation
    with pytest.raises(StepFailed, match="Zonder positief advies"):
        do(
            engine,
            case.id,
            "doelgroep_vaststellen",
            {"besluit": "toekennen", "motivering": "Wij zien het anders."},
            actor=TEAMLEIDER,
        )
    do(engine, case.id, "doelgroep_vaststellen", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    assert letter.besluit == "afwijzen" and "negatieve advies" in letter.motivering
    assert processes(engine, case.id) == [(inst, "beschut_werk", "completed")]


def test_refusing_against_a_positive_advice_needs_a_motivation_and_the_quotum_caps_at_the_regeling(db):
    engine = make_engine(db)
    case, inst = start(engine, bsn="999990147", naam="Aaltje Mulder")
    do(engine, case.id, "adviesaanvraag", {"adviesaanvraagVerzondenOp": date(2025, 3, 4)})
    engine.deliver_message(ADVIES, {"positief": True, "datum": "2025-04-10"}, case_id=case.id)
    with pytest.raises(StepFailed, match="afwijkt van het UWV-advies"):
        do(engine, case.id, "doelgroep_vaststellen", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    do(engine, case.id, "doelgroep_vaststellen", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    # art 12 C: "Bij een hoger aantal positieve adviezen van UWV blijven de aantallen zoals neergelegd
    # in de ministeriële regeling van toepassing"
    quotum = {"taakstellingJaar": 12, "positieveAdviezenJaar": 15, "gerealiseerdJaar": 12}
    do(engine, case.id, "plaatsing", {**PLAATSING, **quotum})
    placed = data(engine, inst)
    assert (placed["quotumVerplichting"], placed["quotumRuimte"]) == (12, 0)
    assert [p for _, p, _ in processes(engine, case.id)] == ["beschut_werk"]  # no LKS asked for

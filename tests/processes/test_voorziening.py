"""The generic voorziening lifecycle with the instrument as data (seed 002 H2 arts 8-14)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.errors import StepFailed
from processes import ledger
from tests.processes.helpers import (
    FINANCIEN,
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

BSN = "999990020"


def profiel(instrument: str, **changes) -> dict:
    base = {
        "gemeente": "ooststellingwerf",
        "instrument": instrument,
        "trede": 3,
        "leeftijd": 38,
        "bijstand": True,
        "uitkeringsmaanden": 20,
        "afstandArbeidsmarktJaren": 1,
        "urenAanbodPerWeek": 32,
        "arbeidsmarktBinnen1JaarHaalbaar": True,
        "evaluatieHalfjaarlijks": False,
    }
    return {**base, **changes}


def overeenkomst(start: date, **changes) -> dict:
    base = {
        "werkgever": "Bouwbedrijf Hoekstra B.V.",
        "kvkNummer": "01234567",
        "begeleider": "Sjoerd Hoekstra",
        "urenPerWeek": 24,
        "aansprakelijkheidsverzekering": True,
        "additioneelGeenVerdringing": True,
        "startdatum": start,
        "tredeStart": 3,
    }
    return {**base, **changes}


def afronding(einde: date, **changes) -> dict:
    base = {
        "einddatumWerkelijk": einde,
        "tredeEinde": 4,
        "groeipotentieelEinde": "gemiddeld",
        "uitstroomCategorie": "werkervaring_stage",
        "succesvolAfgerond": True,
        "bijgedragenAanKansen": True,
        "volledigeUitstroom": False,
        "redenEinde": "Afgerond.",
    }
    return {**base, **changes}


def test_werkstage_one_extension_of_three_months_then_afronding_with_end_measurement(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Jeroen Postma", "voorziening", profiel("werkstage")
    )
    assert data(engine, inst)["geschikt"] is True  # seed 002 art 9: no rung condition
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "overeenkomst", overeenkomst(date(2025, 4, 1)))
    running = data(engine, inst)
    # seed 002 art 9: "De maximale duur van de werkstage is 6 maanden" (first day after the period)
    assert (running["einddatum"], running["maxDuurMaanden"]) == ("2025-10-01", 6)
    assert running["geplandeEinddatum"] == "2025-10-01"
    assert running["laatsteLadderMeting"] == {
        "moment": "voorziening_start",
        "trede": 3,
        "datum": "2025-04-01",
    }
    assert task_names(engine, case.id) == []

    assert advance_to(engine, date(2025, 9, 30)) == 0
    assert advance_to(engine, date(2025, 10, 1)) == 1
    do(
        engine,
        case.id,
        "verlenging_beoordelen",
        {"verlengen": True, "verlengingMaanden": 3, "redenVerlenging": "Nog niet zelfstandig inzetbaar."},
    )
    first = data(engine, inst)
    # art 9: "mogelijkheid tot verlenging voor de duur van 3 maand"
    assert (first["toegestaan"], first["einddatum"]) == (True, "2026-01-01")
    assert task(engine, case.id, "verlenging_besluiten").lane == "teamleider"
    do(engine, case.id, "verlenging_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert data(engine, inst)["geplandeEinddatum"] == "2026-01-01"

    assert advance_to(engine, date(2026, 1, 1)) == 1
    do(engine, case.id, "verlenging_beoordelen", {"verlengen": True, "verlengingMaanden": 3})
    second = data(engine, inst)
    assert second["toegestaan"] is False and second["verlengingNummer"] == 2  # only one extension
    # DMN proposes, a person decides: overriding the refusal needs a motivation
    with pytest.raises(StepFailed, match="Motivering is verplicht"):
        do(engine, case.id, "verlenging_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "verlenging_besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)

    # seed 002 a.3: the end measurement is mandatory; closing without it is refused
    with pytest.raises(StepFailed, match="ladderpositie bij het einde"):
        do(
            engine,
            case.id,
            "afronding",
            {k: v for k, v in afronding(date(2026, 1, 1)).items() if k != "tredeEinde"},
        )
    do(engine, case.id, "afronding", afronding(date(2026, 1, 1)))
    final = data(engine, inst)
    assert final["laatsteLadderMeting"] == {"moment": "voorziening_einde", "trede": 4, "datum": "2026-01-01"}
    assert final["uitstroomCategorie"] == "werkervaring_stage" and final["resultaat"] == "beeindigd"
    assert processes(engine, case.id) == [(inst, "voorziening", "completed")]  # no premium for a werkstage


def test_refused_voorziening_needs_a_motivation_when_it_overrides_the_proposal(db):
    engine = make_engine(db)
    # seed 002 art 8: a leerwerkplek is for trede 3 and 4; at trede 1 it is not proposed
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Ilse Kooistra", "voorziening", profiel("leerwerkplek", trede=1)
    )
    assert data(engine, inst)["geschikt"] is False
    with pytest.raises(StepFailed, match="Motivering is verplicht"):
        do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    assert processes(engine, case.id) == [(inst, "voorziening", "completed")]


def test_participatieplaats_evaluations_premium_early_end_and_trajectpremie(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf",
        BSN,
        "Hendrik Dijkstra",
        "voorziening",
        profiel(
            "participatieplaats",
            trede=2,
            leeftijd=52,
            uitkeringsmaanden=40,
            afstandArbeidsmarktJaren=4,
            urenAanbodPerWeek=20,
            arbeidsmarktBinnen1JaarHaalbaar=False,
        ),
    )
    assert data(engine, inst)["geschikt"] is True  # seed 002 art 14
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(
        engine,
        case.id,
        "overeenkomst",
        overeenkomst(date(2025, 4, 1), werkgever="Kringloop De Schakel", urenPerWeek=20, tredeStart=2),
    )
    # seed 002 art 14: "maximaal twee jaar"; "Na elke zes maand wordt de ontwikkeling gemonitord"
    assert data(engine, inst)["geplandeEinddatum"] == "2027-04-01"
    evaluatie = instance_of(engine, case.id, "evaluatie")
    assert data(engine, evaluatie)["evaluatiedatum"] == "2025-10-01"

    assert advance_to(engine, date(2025, 10, 1)) == 1
    do(
        engine,
        case.id,
        "gesprek",
        {
            "voortgang": "Komt op tijd, werkt goed samen.",
            "voldoendeInzet": True,
            "tredeTussentijds": 2,
            "vervolgEvaluatie": True,
        },
    )
    premie = instance_of(engine, case.id, "participatieplaats_premie")
    # seed 002 art 14: "een premie ... van € 100 per zes maanden, wanneer deze voldoende inzet heeft getoond"
    assert data(engine, premie)["bedrag"] == 100
    assert task(engine, case.id, "besluiten").process_id == "participatieplaats_premie"
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert task(engine, case.id, "fiatteren").lane == "financiële administratie"
    do(
        engine,
        case.id,
        "fiatteren",
        {"gefiatteerd": True, "betaaldatum": date(2025, 10, 10)},
        actor=FINANCIEN,
    )
    volgende = instance_of(engine, case.id, "evaluatie")
    assert volgende != evaluatie and data(engine, volgende)["evaluatiedatum"] == "2026-04-01"

    # the client finds work before the end: the voorziening is ended by a message
    assert engine.deliver_message("VoortijdigBeeindigd", {"reden": "werk gevonden"}, case_id=case.id) == 1
    do(
        engine,
        case.id,
        "afronding",
        afronding(date(2025, 12, 1), tredeEinde=3, uitstroomCategorie="participatieplaats"),
    )
    trajectpremie = instance_of(engine, case.id, "trajectpremie")
    # seed 002 art 16: participatieplaats, successfully completed, >= 12 months of benefit
    assert data(engine, trajectpremie)["recht"] is True
    with pytest.raises(StepFailed, match="bedrag"):
        do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "besluiten", {"besluit": "toekennen", "bedrag": 250}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert engine.verify(case.id).ok  # the dossier replays to its stored state
    # both fiats booked a premium to the inwoner (issue 3 item 5), each with its own instance
    with engine.db.connect() as conn:
        booked = ledger.lines(conn, case_id=case.id)
    assert [(x.beslissing, x.bedrag, x.instance_id) for x in booked] == [
        ("ParticipatieplaatsPremie", Decimal("100.00"), premie),
        ("Trajectpremie", Decimal("250.00"), trajectpremie),
    ]
    statuses = {(p, s) for _, p, s in processes(engine, case.id)}
    assert statuses == {
        ("voorziening", "completed"),
        ("evaluatie", "completed"),
        ("evaluatie", "running"),
        ("participatieplaats_premie", "completed"),
        ("trajectpremie", "completed"),
    }


def test_woerden_voorziening_without_rule_pack_needs_a_planned_end_date(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "woerden", BSN, "Sanne van Leeuwen", "voorziening", profiel("werkstage", gemeente="woerden")
    )
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    with pytest.raises(StepFailed, match="geplande einddatum"):
        do(engine, case.id, "overeenkomst", overeenkomst(date(2025, 4, 1)))
    do(engine, case.id, "overeenkomst", overeenkomst(date(2025, 4, 1), geplandeEinddatum=date(2025, 7, 1)))
    assert advance_to(engine, date(2025, 7, 1)) == 1
    do(engine, case.id, "verlenging_beoordelen", {"verlengen": False})
    do(
        engine,
        case.id,
        "afronding",
        afronding(date(2025, 7, 1), uitstroomCategorie="deeltijdwerk_met_aanvullende_uitkering"),
    )
    assert processes(engine, case.id) == [(inst, "voorziening", "completed")]

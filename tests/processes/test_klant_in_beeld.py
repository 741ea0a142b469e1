"""Intake and diagnose "klant in beeld" end to end (seed 003 Woerden "Diagnose; klant in beeld";
seed 002 Ooststellingwerf; seed 004 Wassenaar Tabel 3)."""

from __future__ import annotations

from datetime import date

from tests.processes.helpers import (
    advance_to,
    data,
    do,
    instance_of,
    make_engine,
    processes,
    task,
    task_names,
)

BSN = "999990019"

PERSOONLIJK = {
    "lichamelijkeSituatie": "Rugklachten, kan niet lang staan.",
    "geestelijkeSituatie": "Stabiel, onder behandeling bij de POH-GGZ.",
    "relatie": "alleenstaand",
    "schulden": True,
    "financien": "Schuldhulp via de gemeente loopt.",
    "woonsituatie": "huur",
    "onderzoekArbeidsinschakelingNodig": True,
}
ONDERZOEK = {
    "adviesWerkbelasting": "Licht fysiek werk, maximaal 24 uur per week.",
    "belastbaarUrenPerWeek": 24,
    "kanTaakUitvoeren": True,
    "heeftWerknemersvaardigheden": True,
    "kanUurAaneengeslotenWerken": True,
    "kanVierUurPerDagWerken": True,
}


def klantschets(**changes):
    base = {
        "hoogsteAfgerondeOpleiding": "MBO2",
        "competenties": "Zorgvuldig, werkt graag met de handen.",
        "werkervaring": "Magazijnmedewerker (4 jaar), schoonmaak (2 jaar).",
        "taalbeheersingAangetoond": True,
        "trede": 2,
        "groeipotentieel": "gemiddeld",
        "meetdatum": date(2025, 3, 3),
        "leeftijd": 45,
        "bijstand": True,
        "uitkeringsmaanden": 30,
        "afstandArbeidsmarktJaren": 3,
        "maandenTotBemiddelbaar": 30,
        "urenAanbodPerWeek": 20,
        "arbeidsmarktBinnen1JaarHaalbaar": False,
        "banenafspraakOfBeschut": False,
        "ontheffing": False,
    }
    return {**base, **changes}


def test_ooststellingwerf_intake_diagnose_plan_and_spawned_voorziening(db):
    engine = make_engine(db)
    case, intake = engine.start_case(
        "ooststellingwerf", BSN, "Anouk de Boer", "klant_in_beeld", {"gemeente": "ooststellingwerf"}
    )
    do(engine, case.id, "persoonlijk", PERSOONLIJK)
    assert task(engine, case.id, "onderzoek").lane == "arbeidsdeskundige"
    do(engine, case.id, "onderzoek", ONDERZOEK, actor="ad.visser")
    do(engine, case.id, "klantschets", klantschets())

    proposal = data(engine, intake)
    # seed 002, Doelgroep Participatiewet C: trede 1-2 is activering, by the casemanager werk
    assert proposal["begeleidingsspoor"] == "activering"
    assert proposal["verantwoordelijkeRol"] == "casemanager werk"
    # seed 002 art 14 (trede 1-2, 27+, bijstand, >= 2 jaar, 16-36 uur), art 10 (<= trede 4, not
    # within a year), art 9 (werkstage, no rung condition)
    assert {"participatieplaats", "sociale_activering", "werkstage"} <= set(proposal["geschikteInstrumenten"])
    assert "leerwerkplek" not in proposal["geschikteInstrumenten"]  # art 8: trede 3 and 4 only
    assert proposal["laatsteLadderMeting"] == {
        "moment": "instroom",
        "trede": 2,
        "groeipotentieel": "gemiddeld",
        "datum": "2025-03-03",
    }
    assert task(engine, case.id, "plan").form is not None
    assert (
        engine.task_form(task(engine, case.id, "plan").task_id)["title"]
        == "Plan van aanpak (re-integratieplan)"
    )

    plan = {
        "doelen": "Structuur opbouwen en wennen aan werk.",
        "afspraken": "Drie dagdelen per week.",
        "instrument": "participatieplaats",
        "aanvullendInstrument": "geen",
    }
    do(engine, case.id, "plan", plan)
    # seed 002 b.1 f: the plan must be signed; unsigned goes back to the plan
    do(engine, case.id, "ondertekenen", {"planOndertekend": False, "reactieInwoner": "Wil minder uren."})
    do(engine, case.id, "plan", {**plan, "afspraken": "Twee dagdelen per week."})
    do(engine, case.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 10)})

    assert [(p, s) for _, p, s in processes(engine, case.id)] == [
        ("klant_in_beeld", "completed"),
        ("ladder_jaarlijks", "running"),
        ("voorziening", "running"),
    ]
    assert data(engine, instance_of(engine, case.id, "ladder_jaarlijks"))["volgendeMeting"] == "2026-03-03"
    voorziening = data(engine, instance_of(engine, case.id, "voorziening"))
    assert voorziening["instrument"] == "participatieplaats" and voorziening["geschikt"] is True
    assert voorziening["beslissing_InstrumentGeschiktheid"]["gemeente"] == "ooststellingwerf"
    besluit = task(engine, case.id, "besluiten")
    assert besluit.lane == "teamleider" and besluit.process_id == "voorziening"
    assert engine.task_form(besluit.task_id)["x-beslissing"]["decision"] == "InstrumentGeschiktheid"
    assert task_names(engine, case.id) == ["besluiten"]


def test_wassenaar_categorie_3b_gets_passive_service_only(db):
    engine = make_engine(db)
    case, intake = engine.start_case(
        "wassenaar", BSN, "Fatima el Amrani", "klant_in_beeld", {"gemeente": "wassenaar"}
    )
    do(
        engine,
        case.id,
        "persoonlijk",
        {
            **PERSOONLIJK,
            "onderzoekArbeidsinschakelingNodig": False,
            "relatie": "alleenstaande_ouder",
            "jongsteKindJongerDan5": True,
        },
    )
    do(
        engine,
        case.id,
        "klantschets",
        klantschets(
            maandenTotBemiddelbaar=60, ontheffing=True, ontheffingReden="alleenstaande_ouder_kind_onder_5"
        ),
    )
    final = data(engine, intake)
    # seed 004 Tabel 3: "48 maanden of langer ... met een ontheffing, waarbij de dienstverlening
    # passief zal zijn"
    assert (final["categorie"], final["unit"], final["groep"]) == ("3B", "Participatie", "participatiegroep")
    assert final["passief"] is True
    assert [(p, s) for _, p, s in processes(engine, case.id)] == [
        ("klant_in_beeld", "completed"),
        ("ladder_jaarlijks", "running"),
    ]
    assert task_names(engine, case.id) == []


def test_wassenaar_categorie_1b_goes_on_to_a_plan_without_instrument_rules(db):
    engine = make_engine(db)
    case, intake = engine.start_case(
        "wassenaar", BSN, "Daan Verhoeven", "klant_in_beeld", {"gemeente": "wassenaar"}
    )
    do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False})
    do(
        engine,
        case.id,
        "klantschets",
        klantschets(trede=5, maandenTotBemiddelbaar=12, arbeidsmarktBinnen1JaarHaalbaar=True),
    )
    seen = data(engine, intake)
    # seed 004 Tabel 3 "bemiddelbaar binnen 4-12 maanden" (AMB-33: 12 belongs to 1B)
    assert seen["categorie"] == "1B" and seen["groep"] == "re-integratiegroep"
    assert seen["begeleidingsspoor"] == "re-integratiebegeleiding"  # adopted LadderSpoor, trede 5
    assert "geschikteInstrumenten" not in seen  # Wassenaar has no InstrumentGeschiktheid rules
    do(engine, case.id, "plan", {"doelen": "Betaald werk in de zorg.", "instrument": "geen"})
    do(engine, case.id, "ondertekenen", {"planOndertekend": True})
    assert [p for _, p, _ in processes(engine, case.id)] == ["klant_in_beeld", "ladder_jaarlijks"]


def test_intake_started_without_gemeente_in_its_data_takes_it_from_the_decision_trace(db):
    # the REST API starts a case with the data it is given, often none
    engine = make_engine(db)
    case, intake = engine.start_case("wassenaar", BSN, "Bas Koster", "klant_in_beeld", {})
    do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False})
    do(engine, case.id, "klantschets", klantschets(maandenTotBemiddelbaar=2))
    seen = data(engine, intake)
    assert seen["gemeente"] == "wassenaar"
    assert seen["categorie"] == "1A"  # seed 004 Tabel 3: "bemiddelbaar binnen 0-3 maanden"


def test_the_casemanager_chosen_at_intake_gets_the_follow_up_of_the_whole_trajectory(db):
    """The first diagnose form names the case's casemanager (a colleague field); the later intake
    tasks, the voorziening's casemanager tasks and every six-monthly evaluation go to that person
    (task property ``assignee``); the teamleider's decisions stay with the teamleiders."""
    engine = make_engine(db)
    vaste = "cm.jansen"
    case, _ = engine.start_case("ooststellingwerf", BSN, "Anouk de Boer", "klant_in_beeld",
                                {"gemeente": "ooststellingwerf"})
    do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False,
                                        "casemanager": vaste})
    assert task(engine, case.id, "klantschets").claimed_by == vaste
    do(engine, case.id, "klantschets", klantschets(), actor=vaste)
    assert task(engine, case.id, "plan").claimed_by == vaste
    do(engine, case.id, "plan", {"doelen": "Structuur opbouwen.", "afspraken": "Drie dagdelen per week.",
                                 "instrument": "participatieplaats", "aanvullendInstrument": "geen"},
       actor=vaste)
    do(engine, case.id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2025, 3, 10)},
       actor=vaste)

    assert task(engine, case.id, "besluiten").claimed_by is None  # the teamleider's lane
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor="tl.bakker")
    assert task(engine, case.id, "overeenkomst").claimed_by == vaste
    do(engine, case.id, "overeenkomst", {
        "werkgever": "Kringloop De Schakel", "begeleider": "Petra Hoekstra", "urenPerWeek": 20,
        "aansprakelijkheidsverzekering": True, "additioneelGeenVerdringing": True,
        "startdatum": date(2025, 4, 1), "tredeStart": 2}, actor=vaste)
    evaluatie = instance_of(engine, case.id, "evaluatie")
    assert data(engine, evaluatie)["casemanager"] == vaste
    assert advance_to(engine, date(2025, 10, 1)) == 1
    assert task(engine, case.id, "gesprek").claimed_by == vaste
    assert engine.verify(case.id).ok, engine.verify(case.id).problems

"""Loonkostensubsidie, jobcoaching and scholing (seed 002 art 4, 6, 7, 13, 20, 25-28)."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import StepFailed
from tests.processes.helpers import (
    FINANCIEN,
    TEAMLEIDER,
    advance_to,
    data,
    do,
    make_engine,
    processes,
    task,
    task_names,
)
from tests.processes.jobcoach import walk_subsidiejaar

BSN = "999990056"


def test_loonkostensubsidie_via_uwv_measurement_with_its_legal_terms(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Rik Hoekstra", "loonkostensubsidie", {"gemeente": "ooststellingwerf"}
    )
    do(
        engine,
        case.id,
        "aanvraag",
        {
            "werkgever": "Metaalbewerking Oosterwolde B.V.",
            "ontvangstAanvraag": date(2025, 3, 3),
            "startWerkplek": date(2025, 2, 17),
            "viaProefplaats": False,
            "route": "uwv_meting",
        },
    )
    terms = data(engine, inst)
    # seed 002 art 7 D: measurement within 6 months of the start, decision within 8 weeks of receipt
    assert terms["loonwaardemetingUiterlijk"] == "2025-08-17"
    assert terms["besluitAanvraagUiterlijk"] == "2025-04-28"
    assert (terms["forfaitairMaxPercentage"], terms["forfaitairUiterlijk"]) == (50, "2025-08-17")  # art 20
    assert task_names(engine, case.id) == []
    engine.deliver_message(
        "LoonwaarderapportUWVOntvangen", {"loonwaarde": 60, "datum": "2025-04-10"}, case_id=case.id
    )
    # art 7 D: "De beschikking ... moet plaatsvinden binnen 5 weken nadat de loonwaarde is vastgesteld"
    assert data(engine, inst)["beschikkingUiterlijk"] == "2025-05-15"
    # both terms are legal deadlines in the dossier (so that opschorting can move them)
    open_terms = {d.name: (d.due_date, d.status) for d in engine.case_deadlines(case.id)}
    assert open_terms == {
        "Besluit op aanvraag loonkostensubsidie": (date(2025, 4, 28), "open"),
        "Beschikking loonkostensubsidie": (date(2025, 5, 15), "open"),
    }
    assert task(engine, case.id, "besluiten").lane == "teamleider"
    do(
        engine,
        case.id,
        "besluiten",
        {
            "besluit": "toekennen",
            "ingangsdatum": date(2025, 4, 10),
            "subsidiePerMaand": 1012.5,
            "subsidieMaanden": 12,
        },
        actor=TEAMLEIDER,
    )
    assert {d.status for d in engine.case_deadlines(case.id)} == {"voldaan"}
    # art 20: a reduced loonwaarde goes to the register
    assert data(engine, inst)["meldingDoelgroepregister"] is True
    assert task(engine, case.id, "fiatteren").lane == "financiële administratie"
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # granted: paid month by month (tests/processes/test_geld_werkgeversinstrumenten.py)
    assert processes(engine, case.id) == [(inst, "loonkostensubsidie", "running")]
    assert task_names(engine, case.id) == []


def test_no_forfaitaire_loonkostensubsidie_after_a_proefplaats(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Rik Hoekstra", "loonkostensubsidie", {"gemeente": "ooststellingwerf"}
    )
    aanvraag = {
        "werkgever": "Bakkerij Hoekstra",
        "ontvangstAanvraag": date(2025, 3, 3),
        "startWerkplek": date(2025, 3, 1),
        "viaProefplaats": True,
        "route": "forfaitair",
    }
    # seed 002 art 13: "Een proefplaatsing kan na indiensttreding niet gevolgd worden door forfaitaire
    # loonkostensubsidie"
    with pytest.raises(StepFailed, match="forfaitaire loonkostensubsidie niet mogelijk"):
        do(engine, case.id, "aanvraag", aanvraag)
    do(engine, case.id, "aanvraag", {**aanvraag, "route": "doelgroep_bekend"})
    do(engine, case.id, "loonwaarde", {"loonwaarde": 70, "loonwaardeVastgesteld": date(2025, 3, 3)})
    with pytest.raises(StepFailed, match="Motivering"):
        do(engine, case.id, "besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    do(
        engine,
        case.id,
        "besluiten",
        {"besluit": "afwijzen", "motivering": "Geen dienstverband."},
        actor=TEAMLEIDER,
    )
    assert data(engine, inst)["meldingDoelgroepregister"] is False


JOBCOACH = {
    "context": "regulier",
    "vorm": "subsidie",
    "werkgever": "Distributiecentrum Wolvega B.V.",
    "startWerk": date(2025, 2, 1),
    "aanvraagdatum": date(2025, 3, 3),
    "contractduurMaanden": 12,
    "urenPerWeek": 24,
    "lksDoelgroep": True,
    "werkgerelateerd": True,
    "doel": "Zelfstandig orderpicken.",
    "instrumenten": "Werkplekbegeleiding, takenlijst.",
    "termijn": "Eerste jaar wekelijks, daarna maandelijks.",
    "kosten": 3300,
}


def test_jobcoaching_three_subsidy_years_then_the_employer_pays(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Lotte Schaafsma", "jobcoaching", {"gemeente": "ooststellingwerf"}
    )
    do(engine, case.id, "aanvraag", JOBCOACH)
    # seed 002 art 28, year 1: € 3.300, at most 36 hours, "als voorschot ... in één keer (100%)"
    year1 = data(engine, inst)
    assert (year1["toegestaan"], year1["bedrag"], year1["maxUren"]) == (True, 3300, 36)
    assert year1["teLaat"] is False  # art 25: within 8 weeks of the start of work
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    for year, amount in ((2, 1600), (3, 1600)):
        assert walk_subsidiejaar(engine, case.id, date(2024 + year, 2, 1)).count("kwartaalrapportage") == 4
        do(engine, case.id, "jaarevaluatie", {"verlengen": True, "coachingplanGeactualiseerd": True})
        assert (data(engine, inst)["subsidiejaar"], data(engine, inst)["bedrag"]) == (year, amount)
        do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
        do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert walk_subsidiejaar(engine, case.id, date(2028, 2, 1)).count("kwartaalrapportage") == 4
    do(engine, case.id, "jaarevaluatie", {"verlengen": True})
    # art 28: "verlengd worden tot maximaal 3 jaar"; after that "zijn de kosten voor de werkgever"
    year4 = data(engine, inst)
    assert (year4["subsidiejaar"], year4["toegestaan"], year4["bedrag"]) == (4, False, 0)
    do(engine, case.id, "besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    do(
        engine,
        case.id,
        "vaststellen",
        {"eindverantwoordingOntvangen": True, "vastgesteldBedrag": 6500},
        actor=TEAMLEIDER,
    )
    assert processes(engine, case.id) == [(inst, "jobcoaching", "completed")]


def test_late_jobcoach_application_needs_a_motivation_and_non_work_questions_go_to_wmo(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Lotte Schaafsma", "jobcoaching", {"gemeente": "ooststellingwerf"}
    )
    do(engine, case.id, "aanvraag", {**JOBCOACH, "aanvraagdatum": date(2025, 4, 1)})  # 8 weeks + 3 days
    assert data(engine, inst)["teLaat"] is True
    with pytest.raises(StepFailed, match="te late aanvraag"):
        do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(
        engine,
        case.id,
        "besluiten",
        {"besluit": "toekennen", "motivering": "Werkgever wist niet van de regeling."},
        actor=TEAMLEIDER,
    )
    assert task_names(engine, case.id) == ["fiatteren"]

    other, wmo = engine.start_case(
        "ooststellingwerf", "999990068", "Gerben Tol", "jobcoaching", {"gemeente": "ooststellingwerf"}
    )
    do(engine, other.id, "aanvraag", {**JOBCOACH, "werkgerelateerd": False})  # art 25: Wmo begeleiding
    assert processes(engine, other.id) == [(wmo, "jobcoaching", "completed")]


SCHOLING = {
    "opleiding": "MBO-2 Logistiek medewerker (BBL)",
    "opleider": "ROC Friese Poort",
    "doelOpleiding": "beroepsgericht",
    "leeftijd": 34,
    "hoogsteAfgerondeOpleiding": "MBO1",
    "kostenOpleiding": 1450,
    "boekenLeermiddelen": 210.5,
    "examengeld": 95,
    "reiskosten": 180,
    "einddatumScholing": date(2025, 12, 19),
}


def test_scholing_granted_then_stopped_through_own_fault_is_recovered(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Bram Kramer", "scholing", {"gemeente": "ooststellingwerf"}
    )
    do(engine, case.id, "aanvraag", SCHOLING)
    assert data(engine, inst)["toegang"] is True  # seed 002 art 4: 27+, no diploma above MBO-4
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert data(engine, inst)["toegekendBedrag"] == 1935.5  # opleiding + boeken + examen + reiskosten
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    engine.deliver_message("ScholingGestaakt", {"datum": "2025-06-02"}, case_id=case.id)
    do(
        engine,
        case.id,
        "afloop",
        {"uitkomst": "gestaakt", "verwijtbaarGestaakt": True, "toelichting": "Structureel niet verschenen."},
    )
    # art 4: "door verwijtbare handelingen de scholing moet staken" -> "het toegekende bedrag" is recovered
    final = data(engine, inst)
    assert (final["terugvorderen"], final["bedrag"]) == (True, 1935.5)
    do(engine, case.id, "terugvordering_besluiten", {"besluit": "terugvorderen"}, actor=TEAMLEIDER)
    assert processes(engine, case.id) == [(inst, "scholing", "completed")]


def test_scholing_refused_for_a_hbo_graduate_and_completed_course_is_not_recovered(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", BSN, "Bram Kramer", "scholing", {"gemeente": "ooststellingwerf"}
    )
    do(engine, case.id, "aanvraag", {**SCHOLING, "hoogsteAfgerondeOpleiding": "HBO"})
    assert data(engine, inst)["toegang"] is False  # art 4: "geen afgeronde opleiding hoger dan MBO-4"
    do(engine, case.id, "besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    assert processes(engine, case.id) == [(inst, "scholing", "completed")]

    again, second = engine.start_case(
        "ooststellingwerf", "999990068", "Joke Meijer", "scholing", {"gemeente": "ooststellingwerf"}
    )
    do(engine, again.id, "aanvraag", SCHOLING)
    do(engine, again.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, again.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert advance_to(engine, date(2025, 12, 19)) == 1
    do(engine, again.id, "afloop", {"uitkomst": "met goed gevolg"})
    assert data(engine, second)["terugvorderen"] is False  # "met goed gevolg afrondt": no recovery

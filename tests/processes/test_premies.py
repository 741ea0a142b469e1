"""Uitstroompremie (seed 002 art 15) end to end, with its application windows as timers."""

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
    make_engine,
    processes,
    task,
    task_names,
)

BSN = "999990032"

UITSTROOM = {
    "werkgever": "Zorggroep Tjongerschans",
    "indiensttreding": date(2025, 1, 15),
    "nettoInkomen": 1650,
    "uitkering": 1380,
    "leeftijd": 35,
    "uitkeringsmaanden": 26,
    "volledigeUitstroom": True,
    "kwetsbareJongere": False,
    "lksVerstrekt": True,
}


def start(engine):
    return engine.start_case(
        "ooststellingwerf", BSN, "Marieke Zijlstra", "uitstroompremie", {"gemeente": "ooststellingwerf"}
    )


def test_two_premiums_of_600_from_month_7_and_month_13(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "uitstroom", UITSTROOM)
    # art 15: 27+, >= 12 months of benefit, net income >= benefit, full outflow; LKS does not block
    assert (data(engine, inst)["recht"], task(engine, case.id, "recht_besluiten").lane) == (
        True,
        "teamleider",
    )
    do(engine, case.id, "recht_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)

    # "De 1e premie kan in de 7e maand ... worden aangevraagd": month 7 starts on 2025-07-15
    assert advance_to(engine, date(2025, 7, 14)) == 0 and task_names(engine, case.id) == []
    assert advance_to(engine, date(2025, 7, 15)) == 1
    do(
        engine,
        case.id,
        "aanvraag",
        {"ambtshalve": True, "aanvraagdatum": date(2025, 7, 15), "nogAanHetWerk": True},
    )
    first = data(engine, inst)
    assert (first["uitkomst"], first["bedrag"], first["werkmaand"]) == ("toekennen", 600, 7)
    do(engine, case.id, "premie_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True, "betaaldatum": date(2025, 7, 25)}, actor=FINANCIEN)

    # "De 2e premie kan vanaf de 13e maand": the window opens on 2026-01-15
    assert advance_to(engine, date(2026, 1, 14)) == 0 and task_names(engine, case.id) == []
    assert advance_to(engine, date(2026, 1, 15)) == 1
    do(engine, case.id, "aanvraag", {"aanvraagdatum": date(2026, 2, 2), "nogAanHetWerk": True})
    second = data(engine, inst)
    assert (second["uitkomst"], second["bedrag"], second["premieNummer"]) == ("toekennen", 600, 2)
    do(engine, case.id, "premie_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # "Maximaal twee keer een premie van € 600"
    assert data(engine, inst)["aantalUitbetaald"] == 2
    # each fiat booked one line in the ledger, to the inwoner, linked to the instance (issue 3 item 5)
    with engine.db.connect() as conn:
        booked = ledger.lines(conn, case_id=case.id)
    assert [(x.soort, x.bedrag, x.ontvanger, x.instance_id, x.status) for x in booked] == [
        ("premie", Decimal("600.00"), "Marieke Zijlstra", inst, "concept")
    ] * 2
    assert engine.verify(case.id).ok  # the dossier replays to its stored state
    assert processes(engine, case.id) == [(inst, "uitstroompremie", "completed")]


def test_application_window_closes_18_months_after_indiensttreding(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "uitstroom", UITSTROOM)
    do(engine, case.id, "recht_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    advance_to(engine, date(2025, 7, 15))
    assert task_names(engine, case.id) == ["aanvraag"]
    # "De aanvraag moet binnen 18 maanden na indiensttreding worden gedaan": 2026-07-15
    assert advance_to(engine, date(2026, 7, 14)) == 0
    assert advance_to(engine, date(2026, 7, 15)) == 1
    assert task_names(engine, case.id) == []
    assert processes(engine, case.id) == [(inst, "uitstroompremie", "completed")]


def test_young_person_with_short_benefit_is_put_to_a_person(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(
        engine,
        case.id,
        "uitstroom",
        {**UITSTROOM, "leeftijd": 22, "uitkeringsmaanden": 8, "kwetsbareJongere": True},
    )
    # art 15 names "kwetsbare jongeren" without the twelve months (AMB-22): no proposal, a person decides
    assert data(engine, inst)["recht"] is None
    with pytest.raises(StepFailed, match="Motivering is verplicht"):
        do(engine, case.id, "recht_besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    do(
        engine,
        case.id,
        "recht_besluiten",
        {"besluit": "afwijzen", "motivering": "Korte uitkeringsduur, voorliggende ondersteuning via school."},
        actor=TEAMLEIDER,
    )
    assert processes(engine, case.id) == [(inst, "uitstroompremie", "completed")]


def test_application_received_before_month_7_is_too_early_and_can_be_made_again(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "uitstroom", UITSTROOM)
    do(engine, case.id, "recht_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    advance_to(engine, date(2025, 7, 15))
    # an application dated in month 6 (received 2025-07-01) is "te vroeg" (art 15: "in de 7e maand")
    do(engine, case.id, "aanvraag", {"aanvraagdatum": date(2025, 7, 1), "nogAanHetWerk": True})
    early = data(engine, inst)
    assert (early["uitkomst"], early["bedrag"], early["werkmaand"]) == ("te vroeg", 0, 6)
    with pytest.raises(StepFailed, match="Motivering is verplicht"):
        do(engine, case.id, "premie_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "premie_besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    assert task_names(engine, case.id) == ["aanvraag"]  # the window is open: a new application
    do(engine, case.id, "aanvraag", {"aanvraagdatum": date(2025, 7, 21), "nogAanHetWerk": True})
    assert data(engine, inst)["uitkomst"] == "toekennen"


def test_second_premium_is_never_ambtshalve(db):
    """Seed 002 art 15 C: "De persoon is zelf verantwoordelijk voor het aanvragen. De 1e premie mag ook
    ambtshalve worden verstrekt" - the second premium needs the person's own aanvraag."""
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "uitstroom", UITSTROOM)
    do(engine, case.id, "recht_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    advance_to(engine, date(2025, 7, 15))
    ambtshalve = {"ambtshalve": True, "nogAanHetWerk": True}
    do(engine, case.id, "aanvraag", {**ambtshalve, "aanvraagdatum": date(2025, 7, 15)})
    do(engine, case.id, "premie_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)

    advance_to(engine, date(2026, 1, 15))
    # the casemanager cannot grant the second one ambtshalve: a Dutch reason, and the task stays open
    with pytest.raises(StepFailed, match="tweede uitstroompremie kan niet ambtshalve"):
        do(engine, case.id, "aanvraag", {**ambtshalve, "aanvraagdatum": date(2026, 1, 15)})
    assert task_names(engine, case.id) == ["aanvraag"]
    assert data(engine, inst)["aantalUitbetaald"] == 1
    # the first premium's ambtshalve does not carry over: the person's own aanvraag is recorded as one
    do(engine, case.id, "aanvraag", {"aanvraagdatum": date(2026, 2, 2), "nogAanHetWerk": True})
    second = data(engine, inst)
    assert (second["ambtshalve"], second["uitkomst"], second["premieNummer"]) == (False, "toekennen", 2)
    assert task_names(engine, case.id) == ["premie_besluiten"]

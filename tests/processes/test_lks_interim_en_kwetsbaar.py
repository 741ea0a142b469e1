"""Interim loonkostensubsidie until UWV has measured the loonwaarde (seed 002 art 18 and 20).

Forfaitaire LKS (art 20) and LKS for kwetsbare werknemers (art 18) are both paid while the loonwaarde
is not formally set; the UWV report ends them and leads to a beschikking on the measured basis.
Driven end to end through the real bundle with a controlled clock; money lands in the ledger.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
from tests.processes.test_geld_werkgeversinstrumenten import LKS_WERKGEVER as WERKGEVER
from tests.processes.test_geld_werkgeversinstrumenten import booked, letters, lines
from tests.processes.test_geld_werkgeversinstrumenten import lks_aanvraag as aanvraag


def granted(engine, case_id, ingang: date, per_maand: float, maanden: int) -> None:
    do(
        engine,
        case_id,
        "besluiten",
        {
            "besluit": "toekennen",
            "ingangsdatum": ingang,
            "subsidiePerMaand": per_maand,
            "subsidieMaanden": maanden,
        },
        actor=TEAMLEIDER,
    )
    do(engine, case_id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)


# --- forfaitaire loonkostensubsidie (seed 002 art 20) -------------------------------------------


def test_forfaitaire_loonkostensubsidie_is_at_most_50_percent(db):
    engine = make_engine(db)
    case, _ = aanvraag(engine, "forfaitair")
    # seed 002 art 20: "forfaitaire loonkostensubsidie ... tot een maximum van 50 %": a forfaitaire
    # loonwaarde below 50% would mean more than 50% subsidy
    with pytest.raises(StepFailed, match="forfaitaire loonwaarde is minstens 50%"):
        do(engine, case.id, "loonwaarde", {"loonwaarde": 49, "loonwaardeVastgesteld": date(2025, 3, 3)})
    do(engine, case.id, "loonwaarde", {"loonwaarde": 50, "loonwaardeVastgesteld": date(2025, 3, 3)})
    assert task_names(engine, case.id) == ["besluiten"]


def test_an_unmeasured_forfaitaire_period_escalates_the_day_after_six_months_on_the_workplace(db):
    engine = make_engine(db)
    case, inst = aanvraag(engine, "forfaitair")
    do(engine, case.id, "loonwaarde", {"loonwaarde": 50, "loonwaardeVastgesteld": date(2025, 3, 3)})
    granted(engine, case.id, date(2025, 3, 1), 900, 3)
    advance_to(engine, date(2025, 6, 1))
    assert len(booked(engine, case.id)) == 3
    # art 20: forfaitair "maximaal voor een periode van 6 maanden"; art 7 D: the measurement "uiterlijk
    # binnen 6 maanden ... na starten op de werkplek" (1 March): on 1 September it is still in time
    assert processes(engine, case.id) == [(inst, "loonkostensubsidie", "running")]
    advance_to(engine, date(2025, 9, 1))
    assert task_names(engine, case.id) == []
    advance_to(engine, date(2025, 9, 2))
    escalation = task(engine, case.id, "meting_te_laat")
    assert escalation.lane == "teamleider"
    do(
        engine,
        case.id,
        "meting_te_laat",
        {"stand": "UWV heeft de meting op 15 september gepland.", "vervolg": "Beschikking op gemeten basis."},
        actor=TEAMLEIDER,
    )
    assert len(booked(engine, case.id)) == 3  # nothing is paid while there is no measured loonwaarde
    # the report still moves it to a measured basis: a beschikking without the 6-month cap
    engine.deliver_message(
        "LoonwaarderapportUWVOntvangen", {"loonwaarde": 60, "datum": "2025-09-15"}, case_id=case.id
    )
    # art 7 D: the beschikking "binnen 5 weken nadat de loonwaarde is vastgesteld"
    beschikkingstermijnen = [
        (d.due_date, d.status)
        for d in engine.case_deadlines(case.id)
        if d.name == "Beschikking loonkostensubsidie"
    ]
    assert beschikkingstermijnen[-1] == (date(2025, 10, 20), "open")
    assert task(engine, case.id, "besluiten").lane == "teamleider"
    granted(engine, case.id, date(2025, 9, 15), 800, 12)
    advance_to(engine, date(2025, 10, 15))
    last = lines(engine, case.id)[-1]
    assert (last.bedrag, last.ontvanger) == (Decimal("800.00"), WERKGEVER)
    assert "loonwaarde 60%" in last.omschrijving
    assert [x.besluit for x in letters(engine, case.id)] == ["toekennen", "toekennen"]
    assert engine.verify(case.id).ok


def test_a_uwv_report_during_forfaitaire_loonkostensubsidie_stops_it_for_a_measured_beschikking(db):
    engine = make_engine(db)
    case, inst = aanvraag(engine, "forfaitair")
    do(engine, case.id, "loonwaarde", {"loonwaarde": 50, "loonwaardeVastgesteld": date(2025, 3, 3)})
    granted(engine, case.id, date(2025, 3, 1), 1000, 6)
    advance_to(engine, date(2025, 5, 1))
    assert [x.bedrag for x in lines(engine, case.id)] == [Decimal("1000.00")] * 2
    # seed 002 art 20: forfaitair only "in tussenliggende tijd", until UWV reports the loonwaarde
    engine.deliver_message(
        "LoonwaarderapportUWVOntvangen", {"loonwaarde": 65, "datum": "2025-05-12"}, case_id=case.id
    )
    assert task_names(engine, case.id) == ["besluiten"]
    advance_to(engine, date(2025, 7, 1))
    assert len(booked(engine, case.id)) == 2  # the forfaitaire months stopped
    # measured basis: more than 6 months is allowed now
    granted(engine, case.id, date(2025, 5, 12), 700, 12)
    assert data(engine, inst)["meldingDoelgroepregister"] is True
    advance_to(engine, date(2025, 6, 12))
    assert [x.bedrag for x in lines(engine, case.id)] == [Decimal("1000.00")] * 2 + [Decimal("700.00")]
    assert engine.verify(case.id).ok


# --- loonkostensubsidie kwetsbare werknemers (seed 002 art 18) -----------------------------------

# art 18 C: "minimaal twaalf maand een uitkering", "netto salaris meer bedraagt dan de voor hem
# geldende uitkeringsnorm", "uiterlijk binnen één maand na indiensttreding aangevraagd"
KWETSBAAR = {
    "indiensttreding": date(2025, 2, 3),
    "uitkeringsmaanden": 12,
    "nettoSalaris": 1400.01,
    "uitkeringsnorm": 1400.00,
}


def test_kwetsbare_werknemer_exactly_at_the_boundaries_is_admitted(db):
    engine = make_engine(db)
    # received 3 March 2025, exactly one calendar month after indiensttreding on 3 February; 12 months
    case, inst = aanvraag(engine, "kwetsbare_werknemer", **KWETSBAAR)
    assert data(engine, inst)["kwetsbaarWeigerreden"] == ""
    assert task_names(engine, case.id) == ["loonwaarde"]


@pytest.mark.parametrize(
    ("change", "reden"),
    [
        ({"indiensttreding": date(2025, 2, 2)}, "later dan een maand na indiensttreding (2025-02-02)"),
        ({"uitkeringsmaanden": 11}, "11 maanden een uitkering, minder dan twaalf"),
        ({"nettoSalaris": 1400.00}, "netto salaris is niet meer dan de uitkeringsnorm"),
    ],
    ids=["one-day-late", "11-months", "salary-equal-to-norm"],
)
def test_kwetsbare_werknemer_just_outside_a_boundary_is_refused_with_the_reason(db, change, reden):
    engine = make_engine(db)
    case, inst = aanvraag(engine, "kwetsbare_werknemer", **{**KWETSBAAR, **change})
    (letter,) = letters(engine, case.id)
    assert (letter.onderwerp, letter.besluit) == ("Loonkostensubsidie kwetsbare werknemers", "afwijzen")
    assert reden in letter.motivering and "art. 18" in letter.regel
    assert processes(engine, case.id) == [(inst, "loonkostensubsidie", "completed")]
    assert booked(engine, case.id) == []
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]


def test_kwetsbare_werknemer_without_the_art_18_facts_names_them(db):
    engine = make_engine(db)
    with pytest.raises(StepFailed, match="datum indiensttreding, het aantal maanden uitkering"):
        aanvraag(engine, "kwetsbare_werknemer")
    # the web form sends empty optional fields as None
    with pytest.raises(StepFailed, match="netto salaris en de uitkeringsnorm verplicht"):
        aanvraag(engine, "kwetsbare_werknemer", bsn="999990068", **dict.fromkeys(KWETSBAAR))


def test_kwetsbare_werknemer_lks_ends_when_uwv_sets_the_loonwaarde_and_becomes_regular_lks(db):
    engine = make_engine(db)
    case, inst = aanvraag(engine, "kwetsbare_werknemer", **KWETSBAAR)
    do(engine, case.id, "loonwaarde", {"loonwaarde": 70, "loonwaardeVastgesteld": date(2025, 3, 10)})
    granted(engine, case.id, date(2025, 3, 3), 600, 12)
    # art 18 B: not (yet) in the LKS doelgroep, so nothing goes to the Doelgroepenregister
    assert data(engine, inst)["meldingDoelgroepregister"] is False
    (first,) = letters(engine, case.id)
    assert "art. 18" in first.regel
    advance_to(engine, date(2025, 5, 3))
    assert [x.bedrag for x in lines(engine, case.id)] == [Decimal("600.00")] * 2
    # art 18 D: "stopt zodra de loonwaarde is vastgesteld door het UWV"
    engine.deliver_message(
        "LoonwaardeUWVVastgesteld", {"loonwaarde": 55, "datum": "2025-05-20"}, case_id=case.id
    )
    assert task_names(engine, case.id) == ["besluiten"]
    advance_to(engine, date(2025, 6, 10))
    assert len(booked(engine, case.id)) == 2
    granted(engine, case.id, date(2025, 5, 20), 950, 12)
    assert data(engine, inst)["meldingDoelgroepregister"] is True  # regular LKS now (art 20)
    second = letters(engine, case.id)[-1]
    assert "art. 7 en 20" in second.regel and "loonwaarde 55%" in second.motivering
    advance_to(engine, date(2025, 6, 20))
    assert lines(engine, case.id)[-1].bedrag == Decimal("950.00")
    assert engine.verify(case.id).ok

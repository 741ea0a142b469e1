"""Werknemersvoorziening end to end (seed 002 par. 3B.4, art 30-33): the 12-week term, UWV for a
visual impairment, the decision as a beschikking, the purchase and the monthly vervoer in the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.errors import StepFailed
from processes import beschikking, ledger
from processes.system_models import load as load_system_models
from tests.processes.helpers import (
    FINANCIEN,
    TEAMLEIDER,
    advance_to,
    data,
    do,
    make_engine,
    on_day,
    processes,
    send_letters,
    task,
    task_names,
)

BSN = "999990111"
TERMIJN = "Besluit op aanvraag werknemersvoorziening"
AANVRAAG = {
    "soort": "werkplekaanpassing",
    "omschrijving": "In hoogte verstelbaar werkblad en aangepaste toegangsdeur",
    "ontvangstAanvraag": date(2025, 3, 3),
    "werkgever": "Metaalbewerking Oosterwolde B.V.",
    "woonachtigInGemeente": True,
    "pwDoelgroep": True,
    "lksDoelgroep": True,
    "contractMaanden": 12,
    "urenPerWeek": 24,
    "kosten": 5000,
    "toegekendeLksPerJaar": 8000,
}
REDELIJK = {
    "noodzaakVastgesteld": True,
    "kostenInVerhouding": True,
    "overweging": "Noodzakelijk en proportioneel.",
}
GRANT_VERVOER = {"besluit": "toekennen", "ingangsdatum": date(2025, 4, 1)}


def start(engine, naam="Rik Hoekstra", bsn=BSN):
    return engine.start_case(
        "ooststellingwerf", bsn, naam, "werknemersvoorziening", {"gemeente": "ooststellingwerf"}
    )


def letters(engine, case_id):
    send_letters(engine, case_id)  # checked by a colleague and sent the same day (issue 18 item 9)
    return beschikking.BezwaarService(engine).list(case_id)[0]


def booked(engine, case_id):
    with engine.db.connect() as conn:
        return ledger.lines(conn, case_id=case_id)


def test_werkplekaanpassing_is_capped_lent_to_the_employer_and_ends_when_the_worker_leaves(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "aanvraag", AANVRAAG)
    # art 33: "maximaal 50 procent ... van de toegekende loonkostensubsidie (per jaar)": 5000 -> 4000
    proposal = data(engine, inst)
    assert (proposal["toegestaan"], proposal["vergoeding"]) == (True, 4000)
    assert proposal["beslissing_Werknemersvoorziening"]["regel"]["id"] == "r9_werkplekaanpassing"
    # par. 3B.4 C (aanvraag b): "binnen de daarvoor gestelde termijn van 12 weken" -> 26 May 2025
    (term,) = engine.case_deadlines(case.id)
    assert (term.name, term.due_date, term.status) == (TERMIJN, date(2025, 5, 26), "open")
    do(engine, case.id, "redelijkheid", REDELIJK)
    assert task(engine, case.id, "besluiten").lane == "teamleider"
    # the 50% is a "bindende richtlijn": not even with a motivation above the cap
    with pytest.raises(StepFailed, match="50%"):
        do(
            engine,
            case.id,
            "besluiten",
            {"besluit": "toekennen", "toegekendBedrag": 5000, "motivering": "Hele aanpassing nodig."},
            actor=TEAMLEIDER,
        )
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    assert (letter.besluit, letter.onderwerp) == ("toekennen", "Werknemersvoorziening (werkplekaanpassing)")
    assert "art. 33" in letter.regel and "r9_werkplekaanpassing" in letter.regel
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]

    do(
        engine,
        case.id,
        "bruikleen",
        {
            "leverancier": "Interieurbouw Wolvega",
            "overeenkomstGetekend": True,
            "gerealiseerdOp": date(2025, 4, 14),
        },
    )
    assert task(engine, case.id, "fiatteren").lane == "financiële administratie"
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    (line,) = booked(engine, case.id)
    assert (line.soort, line.bedrag, line.ontvanger, line.status, line.beslissing) == (
        "vergoeding",
        Decimal("4000.00"),
        "Interieurbouw Wolvega",
        "concept",
        "Werknemersvoorziening",
    )
    # art 33 D: "De bruikleen loopt af op het moment dat de werknemer niet langer in dienst is"
    assert processes(engine, case.id) == [(inst, "werknemersvoorziening", "running")]
    engine.deliver_message("WerknemerUitDienst", {"datum": "2026-02-01"}, case_id=case.id)
    assert processes(engine, case.id) == [(inst, "werknemersvoorziening", "completed")]
    assert engine.verify(case.id).ok


VERVOER = {
    **AANVRAAG,
    "soort": "vervoer",
    "omschrijving": "Taxivervoer woon-werk",
    "contractMaanden": 6,  # boundary: "ten minste zes maanden"
    "urenPerWeek": 12,  # boundary: "minimaal 12 uur per week"
    "kosten": 250,
    "kostenRegulierOV": 60,
    "vervoersvergoedingWerkgever": 40,
    "toegekendeLksPerJaar": None,
}


def test_vervoer_pays_the_extra_costs_every_month_until_no_longer_in_the_pw_doelgroep(db):
    engine = make_engine(db)
    case, inst = start(engine, "Lotte Schaafsma")
    do(engine, case.id, "aanvraag", VERVOER)
    # art 30: "Alleen de meerkosten boven ... regulier openbaar vervoer"; the employer's allowance
    # "wordt in mindering gebracht": 250 - 60 - 40 = 150 a month; exactly 6 months and 12 hours pass
    proposal = data(engine, inst)
    assert (proposal["toegestaan"], proposal["vergoeding"]) == (True, 150)
    do(engine, case.id, "redelijkheid", REDELIJK)
    with pytest.raises(StepFailed, match="ingangsdatum"):
        do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "besluiten", GRANT_VERVOER, actor=TEAMLEIDER)
    assert "per maand" in letters(engine, case.id)[0].motivering
    assert task_names(engine, case.id) == []

    assert advance_to(engine, date(2025, 4, 30)) == 0  # the month is not over yet
    assert advance_to(engine, date(2025, 5, 1)) == 1
    assert advance_to(engine, date(2025, 6, 1)) == 1
    lines = booked(engine, case.id)
    assert [(line.bedrag, line.ontvanger) for line in lines] == [(Decimal("150.00"), "Lotte Schaafsma")] * 2
    assert [line.omschrijving[-10:] for line in lines] == ["2025-04-01", "2025-05-01"]
    # art 30 D: "stopt zodra de persoon niet meer behoort tot de doelgroep Participatiewet"
    engine.deliver_message("NietMeerPwDoelgroep", {"datum": "2025-06-15"}, case_id=case.id)
    assert processes(engine, case.id) == [(inst, "werknemersvoorziening", "completed")]
    assert data(engine, inst)["betaaldeMaanden"] == 2
    advance_to(engine, date(2025, 8, 1))
    assert len(booked(engine, case.id)) == 2
    assert engine.verify(case.id).ok


def test_vervoer_ends_with_the_work_it_was_granted_for(db):
    engine = make_engine(db)
    case, inst = start(engine, "Gerben Tol", "999990123")
    do(engine, case.id, "aanvraag", {**VERVOER, "vervoerTot": date(2025, 5, 31)})
    do(engine, case.id, "redelijkheid", REDELIJK)
    do(engine, case.id, "besluiten", GRANT_VERVOER, actor=TEAMLEIDER)
    # art 30 D: "gedurende de duur van het traject of de aanvaarde arbeid": April and May
    advance_to(engine, date(2025, 5, 1))
    advance_to(engine, date(2025, 6, 1))
    assert processes(engine, case.id) == [(inst, "werknemersvoorziening", "completed")]
    assert len(booked(engine, case.id)) == 2


def test_below_12_hours_is_refused_and_a_grant_against_the_proposal_needs_a_motivation(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "aanvraag", {**AANVRAAG, "urenPerWeek": 11.5})
    # art 33 C: "voor minimaal 12 uur per week"
    proposal = data(engine, inst)
    assert (proposal["toegestaan"], proposal["reden"]) == (False, "minder dan 12 uur per week")
    do(engine, case.id, "redelijkheid", REDELIJK)
    with pytest.raises(StepFailed, match="Motivering is verplicht"):
        do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    assert letter.besluit == "afwijzen" and "minder dan 12 uur per week" in letter.motivering
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]
    assert processes(engine, case.id) == [(inst, "werknemersvoorziening", "completed")]
    assert booked(engine, case.id) == []


def test_a_visual_impairment_hulpmiddel_is_forwarded_to_uwv_without_a_decision(db):
    engine = make_engine(db)
    case, inst = start(engine)
    do(engine, case.id, "aanvraag", {**AANVRAAG, "soort": "meeneembaar", "visueleBeperkingHulpmiddel": True})
    # art 31: "Vanaf 1 januari 2024 kunnen mensen met een visuele beperking ... terecht bij UWV"
    assert task_names(engine, case.id) == ["doorzenden_uwv"]
    do(engine, case.id, "doorzenden_uwv", {"doorgezondenOp": date(2025, 3, 4), "berichtAanvrager": True})
    assert processes(engine, case.id) == [(inst, "werknemersvoorziening", "completed")]
    assert letters(engine, case.id) == [] and booked(engine, case.id) == []
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]


def test_meeneembaar_after_the_12_week_term_escalated_is_bought_and_delivered_free(db):
    engine = make_engine(db)
    load_system_models(engine)
    case, inst = start(engine)
    do(
        engine,
        case.id,
        "aanvraag",
        {**AANVRAAG, "soort": "meeneembaar", "omschrijving": "Orthopedische werkschoenen", "kosten": 485,
         "onderzoekNodig": True},
    )
    # par. 3B.4 C (aanvraag d): "uitgenodigd worden door een arbeidsdeskundige of ... arts"
    assert task(engine, case.id, "onderzoek").lane == "arbeidsdeskundige"
    do(engine, case.id, "onderzoek", {"bevindingen": "Voetafwijking.", "noodzaakMedischVastgesteld": True})
    do(engine, case.id, "redelijkheid", REDELIJK)
    # the 12 weeks end on Monday 26 May 2025; the day after, the term has passed and escalates
    advance_to(engine, date(2025, 5, 26))
    assert engine.escalate_passed_deadlines() == 0
    advance_to(engine, date(2025, 5, 27))
    assert engine.escalate_passed_deadlines() == 1
    escalation = task(engine, case.id, "beoordelen")
    assert escalation.lane == "teamleider"
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert data(engine, inst)["toegekendBedrag"] == 485  # art 32: the costs of the voorziening
    do(
        engine,
        case.id,
        "inkoop",
        {"leverancier": "Orthopedie Noord", "bestelling": "Werkschoenen S3 maatwerk",
         "geleverdOp": date(2025, 6, 10), "eigendomInwoner": True},
    )
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    (line,) = booked(engine, case.id)
    assert (line.bedrag, line.ontvanger) == (Decimal("485.00"), "Orthopedie Noord")
    assert (inst, "werknemersvoorziening", "completed") in processes(engine, case.id)
    assert engine.verify(case.id).ok


def test_an_upheld_bezwaar_reopens_the_decision_even_though_the_step_closed_the_term(db):
    engine = make_engine(db)
    case, _ = start(engine)
    do(engine, case.id, "aanvraag", AANVRAAG)
    do(engine, case.id, "redelijkheid", REDELIJK)
    decided = do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    # the beschikking points at the decision, not at the deadline_closed event of the same step
    decision = [e for e in engine.history(case.id) if e.seq == letter.event_seq]
    assert [(e.kind, e.task_id) for e in decision] == [("task_completed", decided.task_id)]
    service = beschikking.BezwaarService(engine)
    on_day(engine, date(2025, 3, 20))
    bezwaar = service.register(letter.id, date(2025, 3, 20), "De volledige kosten zijn nodig.", "jz.smit")
    service.decide(bezwaar.id, "gegrond", "Opnieuw beoordelen met nieuwe offerte.", "jz.smit")
    # Awb 7:11: the decision is taken again: the teamleider's task is back on the worklist
    assert "besluiten" in task_names(engine, case.id)
    assert "task_corrected" in [e.kind for e in engine.history(case.id)]
    assert engine.verify(case.id).ok


def test_the_reopened_decision_task_is_not_for_who_took_the_revoked_decision(db):
    """Awb 7:5 (issue 19 item 15): the decision task an upheld bezwaar reopened is taken anew by a
    colleague; the teamleider who took the revoked decision is refused at the form, nothing written."""
    from casework.accounts.service import create_user
    from casework.context import Channel, Context
    from casework.errors import FormRefused
    from casework.people import find_user
    from casework.tasks import complete_task, find_task
    from engine.audit.processing_log import Pseudonymizer

    engine = make_engine(db)
    case, _ = start(engine)
    do(engine, case.id, "aanvraag", AANVRAAG)
    do(engine, case.id, "redelijkheid", REDELIJK)
    decided = do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    for name in (TEAMLEIDER, "tl.devries"):
        create_user(engine.db, name, "", name, "ooststellingwerf", ["teamleider"], password_hash="x")
    service = beschikking.BezwaarService(engine)
    on_day(engine, date(2025, 3, 20))
    bezwaar = service.register(letters(engine, case.id)[0].id, date(2025, 3, 20), "Volledige kosten.",
                               "jz.smit")
    service.decide(bezwaar.id, "gegrond", "Opnieuw beoordelen met nieuwe offerte.", "jz.smit")
    reopened = task(engine, case.id, "besluiten")
    assert (reopened.task_id, reopened.process_id) == (decided.task_id, "werknemersvoorziening")

    def as_user(name):
        return Context(engine, find_user(engine.db, name), Channel("cli"), Pseudonymizer(b"k" * 32))

    first = as_user(TEAMLEIDER)
    with pytest.raises(FormRefused) as refused:
        complete_task(first, find_task(engine.db, first.user, reopened.task_id), {"besluit": "afwijzen"},
                      None)
    assert "(Awb 7:5)" in refused.value.errors[""]
    assert [b.status for b in letters(engine, case.id)] == ["herzien"]  # nothing decided
    other = as_user("tl.devries")
    complete_task(other, find_task(engine.db, other.user, reopened.task_id),
                  {"besluit": "afwijzen", "motivering": "De offerte is te hoog."}, None)
    assert [b.besluit for b in letters(engine, case.id)] == ["toekennen", "afwijzen"]
    assert engine.verify(case.id).ok


def test_reopening_a_decision_that_became_a_beschikking_takes_a_colleague_and_names_what_followed(db):
    """Issue 18 item 4: a completion that already produced a beschikking is reopened only by someone
    else (four eyes), and the beschikking is named for review, never silently undone: it changes only
    through bezwaar or a new decision (Awb 4:48-4:50, 7:11)."""
    from casework import correction
    from casework.accounts.service import create_user
    from casework.context import Channel, Context
    from casework.errors import NotAllowed
    from casework.people import find_user
    from engine.audit.processing_log import Pseudonymizer

    engine = make_engine(db)
    case, _ = start(engine)
    do(engine, case.id, "aanvraag", AANVRAAG)
    do(engine, case.id, "redelijkheid", REDELIJK)
    decided = do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    for name in (TEAMLEIDER, "tl.devries"):
        create_user(engine.db, name, "", name, "ooststellingwerf", ["teamleider"], password_hash="x")

    def as_user(name):
        return Context(engine, find_user(engine.db, name), Channel("cli"), Pseudonymizer(b"k" * 32))

    with pytest.raises(NotAllowed, match="vier ogen"):
        correction.correct(as_user(TEAMLEIDER), case.id, decided.task_id, "Verkeerde offerte gebruikt.")
    done = correction.correct(as_user("tl.devries"), case.id, decided.task_id, "Verkeerde offerte gebruikt.")
    (letter,), _ = beschikking.BezwaarService(engine).list(case.id)
    assert done.follow_ups == [f"beschikking {letter.id} ({letter.onderwerp}: toekennen)"]
    assert letter.status == "geldig"  # named for review, not revoked ...
    assert letter.brief_status == "ingetrokken"  # ... but its unsent letter is withdrawn (issue 18 item 9)
    assert "besluiten" in task_names(engine, case.id)
    assert [e.kind for e in engine.history(case.id)][-3:] == ["task_corrected", "correctie_nagaan",
                                                             "beschikking_ingetrokken"]
    assert engine.verify(case.id).ok, engine.verify(case.id).problems

"""A refused fiat books nothing: the payment goes back to the role that decided it.

Every payment is fiatted by the financiële administratie before it is booked (bpmn/processes/
README.md). "Nee" must not book a ledger line nor let the process carry on as if paid; the
opmerking (required then) is shown to the decider, who corrects and offers the payment again or
stops it. Patterns tested: a premium to the inwoner decided by the teamleider (uitstroompremie, seed
002 art 15) and an employer instrument (jobcoaching, seed 002 art 28: the subsidy "als voorschot
verleend en in één keer (100%) uitbetaald"), and a monthly payment prepared by the casemanager
(werkt_mee op trede, Apeldoorn, seed 001).
"""

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
from tests.processes.test_premies import UITSTROOM
from tests.processes.test_premies import start as start_uitstroompremie
from tests.processes.test_werkgeversinstrumenten import JOBCOACH
from tests.processes.test_werkt_mee import start as start_werkt_mee
from tests.processes.test_werkt_mee import toewijzing

AANVRAAG = {"ambtshalve": True, "aanvraagdatum": date(2025, 7, 15), "nogAanHetWerk": True}
REDEN = "IBAN op de aanvraag hoort niet bij de inwoner; graag het juiste rekeningnummer."


def booked(engine, case_id) -> list[tuple[str, Decimal, str]]:
    with engine.db.connect() as conn:
        return [(x.soort, x.bedrag, x.ontvanger) for x in ledger.lines(conn, case_id=case_id)]


def refuse_and_return(engine, case_id, inst, decider_lane: str, fiat: str = "fiatteren") -> None:
    """Nee without an opmerking is refused; nee with one books nothing and returns the work."""
    with pytest.raises(StepFailed, match="Opmerking is verplicht als u niet fiatteert"):
        do(engine, case_id, fiat, {"gefiatteerd": False}, actor=FINANCIEN)
    assert task_names(engine, case_id) == [fiat]  # the failed step wrote nothing
    do(engine, case_id, fiat, {"gefiatteerd": False, "opmerking": REDEN}, actor=FINANCIEN)
    assert booked(engine, case_id) == []
    back = task(engine, case_id, f"{fiat}_herstellen")
    assert (back.title, back.lane) == ("Niet gefiatteerde betaling herstellen", decider_lane)
    assert data(engine, inst)["fiatOpmerking"] == REDEN  # what the form shows under "Uit de zaak"


def premie_up_to_its_fiat(engine):
    """An uitstroompremie granted by the teamleider, its first premium waiting for the fiat."""
    case, inst = start_uitstroompremie(engine)
    do(engine, case.id, "uitstroom", UITSTROOM)
    do(engine, case.id, "recht_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    advance_to(engine, date(2025, 7, 15))
    do(engine, case.id, "aanvraag", AANVRAAG)
    do(engine, case.id, "premie_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    return case, inst


def test_uitstroompremie_refused_fiat_goes_back_to_the_teamleider_and_books_once_after_correction(db):
    engine = make_engine(db)
    case, inst = premie_up_to_its_fiat(engine)
    refuse_and_return(engine, case.id, inst, "teamleider")
    assert data(engine, inst)["aantalUitbetaald"] == 0  # not counted as paid either
    do(engine, case.id, "fiatteren_herstellen",
       {"herstelVervolg": "opnieuw", "herstelToelichting": "Rekeningnummer gecorrigeerd."}, actor=TEAMLEIDER)
    # offered again: a fresh fiat, the earlier opmerking does not carry over
    assert task_names(engine, case.id) == ["fiatteren"]
    assert data(engine, inst)["opmerking"] is None
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert booked(engine, case.id) == [("premie", Decimal("600.00"), "Marieke Zijlstra")]
    assert data(engine, inst)["aantalUitbetaald"] == 1
    assert engine.verify(case.id).ok


def test_uitstroompremie_payment_stopped_after_a_refused_fiat_ends_without_booking(db):
    engine = make_engine(db)
    case, inst = premie_up_to_its_fiat(engine)
    refuse_and_return(engine, case.id, inst, "teamleider")
    do(engine, case.id, "fiatteren_herstellen",
       {"herstelVervolg": "stoppen", "herstelToelichting": "Inwoner is met terugwerkende kracht uit dienst."},
       actor=TEAMLEIDER)
    assert booked(engine, case.id) == []
    assert processes(engine, case.id) == [(inst, "uitstroompremie", "completed")]


def test_jobcoaching_refused_fiat_books_no_advance_until_fiatted_after_correction(db):
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", "999990056", "Lotte Schaafsma", "jobcoaching", {"gemeente": "ooststellingwerf"}
    )
    do(engine, case.id, "aanvraag", JOBCOACH)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)

    refuse_and_return(engine, case.id, inst, "teamleider")
    # not waiting for the end of the subsidy year as if the advance were paid
    assert task_names(engine, case.id) == ["fiatteren_herstellen"]
    do(engine, case.id, "fiatteren_herstellen",
       {"herstelVervolg": "opnieuw", "herstelToelichting": "Werkgever heeft de juiste rekening doorgegeven."},
       actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # seed 002 art 28: year 1 € 3.300, once, to the employer who applied
    assert booked(engine, case.id) == [("voorschot", Decimal("3300.00"), JOBCOACH["werkgever"])]
    assert task_names(engine, case.id) == []  # now waiting for the end of the subsidy year
    assert engine.verify(case.id).ok


def test_werkt_mee_refused_hours_go_back_to_the_lokale_toegang_and_a_stop_moves_on_to_next_month(db):
    # Apeldoorn, Werkt mee op trede (seed 001 par. 10: € 6,60 per uur, declared monthly)
    engine = make_engine(db)
    case, inst = start_werkt_mee(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_op_trede_4", 4))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True})
    advance_to(engine, date(2025, 5, 1))
    do(engine, case.id, "declaratie", {"uren": 48})
    # Apeldoorn routes Werkt mee's casemanager work to the lokale toegang, who set its goals with the
    # inwoner and the aanbieder (seed 001 par. 8; issue 19 item 10): the refused hours go back there
    refuse_and_return(engine, case.id, inst, "lokale toegang", "uren_fiatteren")
    do(engine, case.id, "uren_fiatteren_herstellen",
       {"herstelVervolg": "stoppen", "herstelToelichting": "Uren niet aangetoond door de aanbieder."})
    # this month is not paid, the traject goes on: next month's declaration comes as usual
    assert task_names(engine, case.id) == []
    assert advance_to(engine, date(2025, 6, 1)) == 1
    assert task_names(engine, case.id) == ["declaratie"]
    assert engine.verify(case.id).ok


def test_jobcoaching_stopped_after_a_refused_fiat_goes_to_the_vaststelling_of_what_was_paid(db):
    # The grant stands (its beschikking was sent), so stopping its payment ends like a subsidy that
    # is not extended: the teamleider settles it on what was actually advanced (here nothing).
    engine = make_engine(db)
    case, inst = engine.start_case(
        "ooststellingwerf", "999990056", "Lotte Schaafsma", "jobcoaching", {"gemeente": "ooststellingwerf"}
    )
    do(engine, case.id, "aanvraag", JOBCOACH)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    refuse_and_return(engine, case.id, inst, "teamleider")
    do(engine, case.id, "fiatteren_herstellen",
       {"herstelVervolg": "stoppen", "herstelToelichting": "Werkgever ziet af van de jobcoach."},
       actor=TEAMLEIDER)
    assert task_names(engine, case.id) == ["vaststellen"]
    assert data(engine, inst)["betaaldTotaal"] == "0.00"
    do(engine, case.id, "vaststellen", {"vastgesteldBedrag": 0}, actor=TEAMLEIDER)
    assert booked(engine, case.id) == []  # nothing advanced, nothing to recover
    assert processes(engine, case.id) == [(inst, "jobcoaching", "completed")]

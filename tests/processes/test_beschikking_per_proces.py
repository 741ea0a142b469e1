"""Every grant or refusal is a beschikking (issue 3 item 3): the processes that decided without one
now write the letter with the decision's fired rule, in the step of the decision itself."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from processes import beschikking, documents
from tests.processes.helpers import TEAMLEIDER, advance_to, do, make_engine
from tests.processes.test_voorziening import overeenkomst, profiel
from tests.processes.test_werkgeversinstrumenten import JOBCOACH, SCHOLING
from tests.processes.test_werkt_mee import start as werkt_mee_start
from tests.processes.test_werkt_mee import toewijzing

BSN = "999990159"


def letters(engine, case_id):
    return beschikking.BezwaarService(engine).list(case_id)[0]


def points_at_decision(engine, case_id, letter, decided) -> bool:
    events = [e for e in engine.history(case_id) if e.seq == letter.event_seq]
    return [(e.kind, e.task_id) for e in events] == [("task_completed", decided.task_id)]


def start(engine, process_id):
    return engine.start_case(
        "ooststellingwerf", BSN, "Hennie Bakker", process_id, {"gemeente": "ooststellingwerf"}
    )


def test_jobcoaching_grant_and_year_4_refusal_are_beschikkingen(db):
    engine = make_engine(db)
    case, _ = start(engine, "jobcoaching")
    do(engine, case.id, "aanvraag", JOBCOACH)
    decided = do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    # seed 002 art 28: year 1 € 3.300 "als voorschot"
    assert (letter.besluit, letter.onderwerp) == ("toekennen", "Subsidie jobcoaching, subsidiejaar 1")
    assert "3300" in letter.motivering and "JobcoachSubsidie" in letter.regel
    # art 28: the employer applies for the subsidy ("de aanvrager"): the letter is addressed to it
    _, content = documents.Documents(engine).download(letter.document_id)
    assert "Aan: Distributiecentrum Wolvega B.V." in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert points_at_decision(engine, case.id, letter, decided)


def test_scholing_refusal_for_a_hbo_graduate_is_a_beschikking_with_the_fired_rule(db):
    engine = make_engine(db)
    case, _ = start(engine, "scholing")
    do(engine, case.id, "aanvraag", {**SCHOLING, "hoogsteAfgerondeOpleiding": "HBO"})
    do(engine, case.id, "besluiten", {"besluit": "afwijzen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    # seed 002 art 4: "geen afgeronde opleiding hoger dan MBO-4"
    assert letter.besluit == "afwijzen" and "art. 4" in letter.regel and "ScholingToegang" in letter.regel


def test_loonkostensubsidie_grant_is_a_beschikking_pointing_at_the_decision(db):
    engine = make_engine(db)
    case, _ = start(engine, "loonkostensubsidie")
    do(
        engine,
        case.id,
        "aanvraag",
        {
            "werkgever": "Bakkerij Hoekstra",
            "ontvangstAanvraag": date(2025, 3, 3),
            "startWerkplek": date(2025, 3, 1),
            "viaProefplaats": False,
            "route": "doelgroep_bekend",
        },
    )
    do(engine, case.id, "loonwaarde", {"loonwaarde": 70, "loonwaardeVastgesteld": date(2025, 3, 3)})
    # the same step closes both legal terms; the letter still points at the decision (art 7 D)
    decided = do(
        engine,
        case.id,
        "besluiten",
        {
            "besluit": "toekennen",
            "ingangsdatum": date(2025, 3, 3),
            "subsidiePerMaand": 900,
            "subsidieMaanden": 12,
        },
        actor=TEAMLEIDER,
    )
    (letter,) = letters(engine, case.id)
    assert (letter.besluit, letter.onderwerp) == ("toekennen", "Loonkostensubsidie")
    assert "70 procent" in letter.motivering and "art. 7" in letter.regel
    assert points_at_decision(engine, case.id, letter, decided)
    # Pw art 10d: the subsidy is granted to the werkgever, who applied for it: the letter is addressed
    # to the werkgever, not to the inwoner (issue 19 item 14)
    _, content = documents.Documents(engine).download(letter.document_id)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Aan: Bakkerij Hoekstra" in text and "Hennie Bakker" not in text


def test_voorziening_and_its_extension_are_beschikkingen(db):
    engine = make_engine(db)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Hennie Bakker", "voorziening", profiel("werkstage"))
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "overeenkomst", overeenkomst(date(2025, 4, 1)))
    advance_to(engine, date(2025, 10, 1))
    do(engine, case.id, "verlenging_beoordelen", {"verlengen": True, "verlengingMaanden": 3})
    do(engine, case.id, "verlenging_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    grant, extension = letters(engine, case.id)
    assert (grant.onderwerp, grant.besluit) == ("Voorziening werkstage", "toekennen")
    assert "Seed 002" in grant.regel and "InstrumentGeschiktheid" in grant.regel
    # seed 002 art 9: one extension of 3 months, to 1 January 2026
    assert (extension.onderwerp, extension.besluit) == ("Verlenging voorziening werkstage", "toekennen")
    assert "2026-01-01" in extension.motivering and "Verlenging" in extension.regel


def test_werkt_mee_extension_is_a_beschikking(db):
    engine = make_engine(db)
    case, _ = werkt_mee_start(engine)
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 2))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True, "uitkerendeInstantie": "UWV"})
    advance_to(engine, date(2025, 10, 1))
    do(engine, case.id, "resultaat", {"behaaldeTrede": 2, "verlengen": True, "verlengingMaanden": 3})
    do(engine, case.id, "verlenging_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    (letter,) = letters(engine, case.id)
    # seed 001 par. 7: "kan één keer worden verlengd"
    assert letter.onderwerp == "Verlenging werkt mee ontwikkeling naar 3" and "Seed 001" in letter.regel

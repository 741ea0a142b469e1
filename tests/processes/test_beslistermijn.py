"""Awb 4:13: an aanvraag is decided within the term a rule sets or else within eight weeks of its
receipt; scholing (seed 002 art 4) and jobcoaching (seed 002 art 25-28) have no other term, so their
aanvragen get the eight weeks in the termijnbewaking, and a term that passes escalates (issue 19 item 13)."""

from __future__ import annotations

from datetime import date

from processes.system_models import load as load_system_models
from tests.processes.helpers import TEAMLEIDER, advance_to, do, make_engine, task
from tests.processes.jobcoach import walk_subsidiejaar
from tests.processes.test_werkgeversinstrumenten import JOBCOACH, SCHOLING

AWB = "Awb art. 4:13"


def test_scholing_aanvraag_is_decided_within_eight_weeks_of_receipt(db):
    engine = make_engine(db)
    load_system_models(engine)
    case, _ = engine.start_case("ooststellingwerf", "999990056", "Bram Kramer", "scholing",
                                {"gemeente": "ooststellingwerf"})
    do(engine, case.id, "aanvraag", {**SCHOLING, "ontvangstAanvraag": date(2025, 2, 24)})
    (term,) = engine.case_deadlines(case.id)
    # eight weeks end on Monday 21 April 2025, Tweede Paasdag: the next working day counts
    # (Algemene termijnenwet art 1)
    assert (term.name, term.start_date, term.due_date, term.status) == (
        "Besluit op aanvraag scholing", date(2025, 2, 24), date(2025, 4, 22), "open"
    )
    assert term.legal_basis.startswith(AWB)
    # the day after the eighth week the term has passed: the teamleider is told
    advance_to(engine, date(2025, 4, 22))
    assert engine.escalate_passed_deadlines() == 0
    advance_to(engine, date(2025, 4, 23))
    assert engine.escalate_passed_deadlines() == 1
    assert task(engine, case.id, "beoordelen").lane == "teamleider"
    # the beschikking meets the term
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]


def test_scholing_aanvraag_without_a_receipt_date_runs_from_the_day_it_is_recorded(db):
    engine = make_engine(db)  # the clock stands on Monday 3 March 2025
    case, _ = engine.start_case("ooststellingwerf", "999990056", "Bram Kramer", "scholing",
                                {"gemeente": "ooststellingwerf"})
    do(engine, case.id, "aanvraag", SCHOLING)
    (term,) = engine.case_deadlines(case.id)
    assert (term.start_date, term.due_date) == (date(2025, 3, 3), date(2025, 4, 28))


def test_jobcoaching_aanvraag_is_decided_within_eight_weeks_and_later_years_are_no_new_aanvraag(db):
    engine = make_engine(db)
    case, _ = engine.start_case("ooststellingwerf", "999990056", "Lotte Schaafsma", "jobcoaching",
                                {"gemeente": "ooststellingwerf"})
    do(engine, case.id, "aanvraag", JOBCOACH)  # aanvraagdatum 3 March 2025
    (term,) = engine.case_deadlines(case.id)
    assert (term.name, term.due_date, term.status) == (
        "Besluit op aanvraag jobcoaching", date(2025, 4, 28), "open"
    )
    assert term.legal_basis.startswith(AWB)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]
    # the second subsidy year is decided in the same procedure: no new beslistermijn
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor="fa.jansen")
    walk_subsidiejaar(engine, case.id, date(2026, 2, 1))
    do(engine, case.id, "jaarevaluatie", {"verlengen": True, "coachingplanGeactualiseerd": True})
    assert [d.status for d in engine.case_deadlines(case.id)] == ["voldaan"]


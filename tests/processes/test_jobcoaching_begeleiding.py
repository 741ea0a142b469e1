"""Jobcoaching during the subsidy year (issue 19 item 6), seed 002 (Ooststellingwerf, Beleidsregels
Participatiewet re-integratie 2024) art 28 C:

- "Minimaal ieder kwartaal zorgt de interne jobcoach voor een schriftelijke terugkoppeling,
  inclusief een urenverantwoording, aan het college."
- "Het coaching plan vormt de leidraad voor evaluatiegesprekken. Deze gesprekken vinden minimaal
  één keer per half jaar plaats tussen de jobcoach en de casemanager van de gemeente."
- "In het geval de vaste jobcoach tijdelijk of structureel niet meer beschikbaar is zorgt de
  werkgever of de jobcoachorganisatie dat binnen uiterlijk één maand een vervangende jobcoach
  beschikbaar is."

The dossier is walked through the deployed jobcoaching process and Ooststellingwerf's rule pack
with a fixed clock; work starts 1 February 2025, so the quarters end on 1 May, 1 August,
1 November 2025 and 1 February 2026.
"""

from __future__ import annotations

from datetime import date

from processes.system_models import load as load_system_models
from tests.processes.helpers import (
    FINANCIEN,
    TEAMLEIDER,
    advance_to,
    data,
    do,
    make_engine,
    task,
    task_names,
)
from tests.processes.jobcoach import EVALUATIE, RAPPORTAGE
from tests.processes.test_werkgeversinstrumenten import JOBCOACH

BSN = "999990056"
VERVANGING = "Vervangende jobcoach beschikbaar"


def granted(engine):
    case, inst = engine.start_case("ooststellingwerf", BSN, "Lotte Schaafsma", "jobcoaching",
                                   {"gemeente": "ooststellingwerf"})
    do(engine, case.id, "aanvraag", JOBCOACH)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    return case, inst


def report(engine, case_id, on: date) -> None:
    do(engine, case_id, "kwartaalrapportage", {"rapportageOntvangenOp": on, **RAPPORTAGE})


def test_a_report_every_quarter_and_an_evaluation_every_half_year_then_the_jaarevaluatie(db):
    engine = make_engine(db)
    case, inst = granted(engine)
    # the advance is paid; nothing is asked until the first quarter of work has passed
    assert advance_to(engine, date(2025, 4, 30)) == 0 and task_names(engine, case.id) == []

    assert advance_to(engine, date(2025, 5, 1)) == 1
    rapportage = task(engine, case.id, "kwartaalrapportage")
    assert rapportage.title == "Kwartaalrapportage jobcoach beoordelen"
    assert rapportage.lane == "casemanager werk"
    seen = data(engine, inst)
    assert (seen["subsidiejaar"], seen["kwartaal"], seen["kwartaalEinde"]) == (1, 1, "2025-05-01")
    report(engine, case.id, date(2025, 5, 1))
    assert task_names(engine, case.id) == []  # one quarter: no evaluation yet

    # after the second quarter, half a year: the report, then the evaluatiegesprek
    assert advance_to(engine, date(2025, 8, 1)) == 1
    report(engine, case.id, date(2025, 8, 1))
    evaluatie = task(engine, case.id, "halfjaarevaluatie")
    assert evaluatie.title == "Halfjaarlijks evaluatiegesprek jobcoach en casemanager vastleggen"
    do(engine, case.id, "halfjaarevaluatie", {"gesprekGevoerdOp": date(2025, 8, 5), **EVALUATIE})
    assert task_names(engine, case.id) == []

    # third quarter: a report only
    assert advance_to(engine, date(2025, 10, 31)) == 0
    assert advance_to(engine, date(2025, 11, 1)) == 1
    report(engine, case.id, date(2025, 11, 3))
    assert task_names(engine, case.id) == []

    # fourth quarter: the report, then the evaluatiegesprek at the end of the year decides on verlenging
    assert advance_to(engine, date(2026, 2, 1)) == 1
    report(engine, case.id, date(2026, 2, 2))
    assert task(engine, case.id, "jaarevaluatie").title == (
        "Evaluatiegesprek einde subsidiejaar en verlenging bepalen"
    )
    do(engine, case.id, "jaarevaluatie", {"verlengen": True, "coachingplanGeactualiseerd": True})
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # the second subsidy year counts its own quarters from 1 February 2026
    assert advance_to(engine, date(2026, 4, 30)) == 0
    assert advance_to(engine, date(2026, 5, 1)) == 1
    seen = data(engine, inst)
    assert (seen["subsidiejaar"], seen["kwartaal"], seen["kwartaalEinde"]) == (2, 1, "2026-05-01")
    assert task_names(engine, case.id) == ["kwartaalrapportage"]
    assert engine.verify(case.id).ok


def test_a_jobcoach_who_drops_out_is_replaced_within_one_month(db):
    engine = make_engine(db)
    load_system_models(engine)
    case, inst = granted(engine)
    advance_to(engine, date(2025, 5, 1))
    report(engine, case.id, date(2025, 5, 1))

    # the employer reports that the vaste jobcoach is out (Wednesday 4 June 2025)
    advance_to(engine, date(2025, 6, 5))
    assert engine.deliver_message("JobcoachUitgevallen", {"datum": "2025-06-04", "reden": "langdurig ziek"},
                                  case_id=case.id) == 1
    vervanging = task(engine, case.id, "vervanging")
    assert (vervanging.title, vervanging.lane) == ("Vervangende jobcoach vastleggen", "casemanager werk")
    (term,) = [d for d in engine.case_deadlines(case.id) if d.name == VERVANGING]
    # "binnen uiterlijk één maand": from 4 June, Friday 4 July 2025
    assert (term.start_date, term.due_date, term.status) == (date(2025, 6, 4), date(2025, 7, 4), "open")
    assert "art. 28" in term.legal_basis
    assert data(engine, inst)["uitvalReden"] == "langdurig ziek"

    # a month passes without a replacement: the teamleider is told the day after
    advance_to(engine, date(2025, 7, 4))
    assert engine.escalate_passed_deadlines() == 0
    advance_to(engine, date(2025, 7, 5))
    assert engine.escalate_passed_deadlines() == 1
    assert task(engine, case.id, "beoordelen").lane == "teamleider"

    do(engine, case.id, "vervanging", {"vervangendeJobcoach": "Sander Kooistra",
                                       "beschikbaarPer": date(2025, 7, 7)})
    (term,) = [d for d in engine.case_deadlines(case.id) if d.name == VERVANGING]
    assert term.status == "voldaan"
    # the quarters go on: the second quarter's report and the half-yearly evaluation are asked
    assert advance_to(engine, date(2025, 8, 1)) == 1
    report(engine, case.id, date(2025, 8, 1))
    assert task_names(engine, case.id) == ["beoordelen", "halfjaarevaluatie"]
    assert engine.verify(case.id).ok


def test_a_replacement_found_in_time_meets_the_term(db):
    engine = make_engine(db)
    case, inst = granted(engine)
    advance_to(engine, date(2025, 9, 15))  # the first quarter's report is late
    assert task_names(engine, case.id) == ["kwartaalrapportage"]
    report(engine, case.id, date(2025, 9, 15))
    # the second quarter had passed too: its report is asked at once
    assert task_names(engine, case.id) == ["kwartaalrapportage"] and data(engine, inst)["kwartaal"] == 2
    report(engine, case.id, date(2025, 9, 15))
    do(engine, case.id, "halfjaarevaluatie", {"gesprekGevoerdOp": date(2025, 9, 15), **EVALUATIE})
    engine.deliver_message("JobcoachUitgevallen", {}, case_id=case.id)  # no date: today
    (term,) = engine.case_deadlines(case.id)[-1:]
    assert (term.name, term.start_date, term.due_date) == (VERVANGING, date(2025, 9, 15), date(2025, 10, 15))
    do(engine, case.id, "vervanging", {"vervangendeJobcoach": "Sander Kooistra",
                                       "beschikbaarPer": date(2025, 10, 1)})
    assert engine.case_deadlines(case.id)[-1].status == "voldaan"


def test_during_a_proefplaatsing_one_written_report_at_its_end(db):
    # art 28 C c: "Bij jobcoaching tijdens een proefplaatsing dient aan het einde van de
    # proefplaatsing een schriftelijke rapportage ingediend te worden."
    engine = make_engine(db)
    case, inst = engine.start_case("ooststellingwerf", BSN, "Lotte Schaafsma", "jobcoaching",
                                   {"gemeente": "ooststellingwerf"})
    do(engine, case.id, "aanvraag", {**JOBCOACH, "context": "proefplaats", "werkgeverIntentieWeken": 26,
                                     "proefplaatsMaanden": 2})
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # work (the proefplaats) started 1 February 2025: two months end on 1 April
    assert advance_to(engine, date(2025, 3, 31)) == 0
    assert advance_to(engine, date(2025, 4, 1)) == 1
    assert data(engine, inst)["kwartaalEinde"] == "2025-04-01"
    report(engine, case.id, date(2025, 4, 2))
    # no quarters or half-yearly evaluation after it: the end of the proefplaatsing is evaluated
    assert task_names(engine, case.id) == ["jaarevaluatie"]

"""Money of jobcoaching, scholing and loonkostensubsidie in the ledger (issue 3 items 3 and 5).

Every fiat books its line(s) (Decimal, half-up cents, linked to case, instance, the step's event and
the decision), payable only after a second person of financien approves; recoveries are lines of the
terugvordering kind and the recovery decision is a beschikking with its amount and bezwaar clause.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from engine.errors import ConflictError, StepFailed
from processes import beschikking, documents, ledger
from tests.processes.helpers import (
    FINANCIEN,
    TEAMLEIDER,
    advance_to,
    do,
    make_engine,
    on_day,
    processes,
    send_letters,
    task_names,
)
from tests.processes.jobcoach import walk_subsidiejaar
from tests.processes.test_werkgeversinstrumenten import JOBCOACH, SCHOLING

FINANCIEN_2 = "fa.pietersen"
FIN = frozenset({"financien"})
BEZWAAR = "jz.smit"


def booked(engine, case_id) -> list[tuple[str, Decimal, str, str]]:
    with engine.db.connect() as conn:
        return [(x.soort, x.bedrag, x.ontvanger, x.status) for x in ledger.lines(conn, case_id=case_id)]


def lines(engine, case_id) -> list[ledger.LedgerLine]:
    with engine.db.connect() as conn:
        return ledger.lines(conn, case_id=case_id)


def letters(engine, case_id) -> list[beschikking.Beschikking]:
    send_letters(engine, case_id)  # checked by a colleague and sent the same day (issue 18 item 9)
    return beschikking.BezwaarService(engine).list(case_id)[0]


def pdf_text(engine, letter) -> str:
    _, content = documents.Documents(engine).download(letter.document_id)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def event_of(engine, case_id, item) -> int:
    (seq,) = [
        e.seq for e in engine.history(case_id) if e.kind == "task_completed" and e.task_id == item.task_id
    ]
    return seq


def start(engine, process_id, bsn="999990056", naam="Bram Kramer"):
    return engine.start_case("ooststellingwerf", bsn, naam, process_id, {"gemeente": "ooststellingwerf"})


# --- jobcoaching (seed 002 art 6, 25-28) ---------------------------------------------------------


def test_jobcoaching_advance_per_subsidy_year_to_the_employer_and_vaststelling_recovers_the_excess(db):
    engine = make_engine(db)
    case, inst = start(engine, "jobcoaching", naam="Lotte Schaafsma")
    do(engine, case.id, "aanvraag", JOBCOACH)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    assert booked(engine, case.id) == []  # granted is not yet paid: the fiat books
    fiat = do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # seed 002 art 28: "De subsidie wordt als voorschot verleend en in één keer (100%) uitbetaald",
    # year 1 € 3.300, to the employer who applied for it
    (year1,) = lines(engine, case.id)
    assert (year1.soort, year1.bedrag, year1.ontvanger, year1.status) == (
        "voorschot",
        Decimal("3300.00"),
        "Distributiecentrum Wolvega B.V.",
        "concept",
    )
    assert (year1.instance_id, year1.event_seq, year1.beslissing, year1.created_by) == (
        inst,
        event_of(engine, case.id, fiat),
        "JobcoachSubsidie",
        FINANCIEN,
    )
    assert "subsidiejaar 1" in year1.omschrijving

    # art 28 D: "kan verlengd worden tot maximaal 3 jaar"; year 2 € 1.600, its own advance
    assert walk_subsidiejaar(engine, case.id, date(2026, 2, 1)).count("kwartaalrapportage") == 4
    do(engine, case.id, "jaarevaluatie", {"verlengen": True, "coachingplanGeactualiseerd": True})
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert [(x.soort, x.bedrag) for x in lines(engine, case.id)] == [
        ("voorschot", Decimal("3300.00")),
        ("voorschot", Decimal("1600.00")),
    ]

    assert walk_subsidiejaar(engine, case.id, date(2027, 2, 1)).count("kwartaalrapportage") == 4
    do(engine, case.id, "jaarevaluatie", {"verlengen": False})
    # art 28: the vaststelling cannot exceed the subsidy granted and advanced (4.900)
    with pytest.raises(StepFailed, match="hoger dan de verstrekte subsidie"):
        do(engine, case.id, "vaststellen", {"vastgesteldBedrag": 4900.01}, actor=TEAMLEIDER)
    # "Op basis van een eindverantwoording kan bij de vaststelling eventueel teveel verstrekt voorschot
    # worden teruggevorderd": 4.612,345 is 4.612,35 (half up), so 287,65 comes back
    decided = do(
        engine,
        case.id,
        "vaststellen",
        {"eindverantwoordingOntvangen": True, "vastgesteldBedrag": 4612.345, "toelichting": "Minder uren."},
        actor=TEAMLEIDER,
    )
    assert processes(engine, case.id) == [(inst, "jobcoaching", "completed")]
    recovery = lines(engine, case.id)[-1]
    assert (recovery.soort, recovery.bedrag, recovery.ontvanger, recovery.beslissing) == (
        "terugvordering",
        Decimal("287.65"),
        "Distributiecentrum Wolvega B.V.",
        "Vaststelling subsidie jobcoaching",
    )
    *_, vaststelling = letters(engine, case.id)
    assert (vaststelling.besluit, vaststelling.onderwerp) == (
        "terugvorderen",
        "Vaststelling subsidie jobcoaching",
    )
    assert vaststelling.event_seq == recovery.event_seq == event_of(engine, case.id, decided)
    text = pdf_text(engine, vaststelling)
    for expected in ("Aan: Distributiecentrum Wolvega B.V.", "EUR 287,65", "4612.35", "art. 28", "6:7"):
        assert expected in text, expected
    assert engine.verify(case.id).ok


def test_jobcoaching_vaststelling_of_the_full_advance_recovers_nothing(db):
    engine = make_engine(db)
    case, _ = start(engine, "jobcoaching", naam="Lotte Schaafsma")
    do(engine, case.id, "aanvraag", JOBCOACH)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    walk_subsidiejaar(engine, case.id, date(2026, 2, 1))
    do(engine, case.id, "jaarevaluatie", {"verlengen": False})
    do(engine, case.id, "vaststellen", {"vastgesteldBedrag": 3300}, actor=TEAMLEIDER)  # exactly the advance
    assert [x[0] for x in booked(engine, case.id)] == ["voorschot"]
    *_, vaststelling = letters(engine, case.id)
    assert vaststelling.besluit == "toekennen" and "EUR 3300.00" in vaststelling.motivering


def test_jobcoaching_during_a_proefplaats_is_paid_afterwards_as_the_subsidy_itself(db):
    engine = make_engine(db)
    case, _ = start(engine, "jobcoaching", naam="Lotte Schaafsma")
    proefplaats = {
        **JOBCOACH,
        "context": "proefplaats",
        "werkgeverIntentieWeken": 26,
        "proefplaatsMaanden": 2,
    }
    do(engine, case.id, "aanvraag", proefplaats)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    # seed 002 art 28: "tijdens een proefplaatsing is een vast bedrag van € 300,- per maand" and
    # "Bij jobcoaching tijdens een proefplaatsing wordt achteraf in één keer betaald": no advance
    (line,) = lines(engine, case.id)
    assert (line.soort, line.bedrag, line.ontvanger) == (
        "subsidie",
        Decimal("600.00"),
        "Distributiecentrum Wolvega B.V.",
    )


# --- scholing (seed 002 art 4) -------------------------------------------------------------------


def scholing_granted(engine, bsn="999990056", naam="Bram Kramer"):
    case, inst = start(engine, "scholing", bsn, naam)
    do(engine, case.id, "aanvraag", SCHOLING)
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    fiat = do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    return case, inst, fiat


def scholing_recovered(engine, bsn="999990056", naam="Bram Kramer"):
    case, inst, _ = scholing_granted(engine, bsn, naam)
    advance_to(engine, date(2025, 6, 2))  # a Monday: the course is stopped and the recovery decided
    engine.deliver_message("ScholingGestaakt", {"datum": "2025-06-02"}, case_id=case.id)
    do(
        engine,
        case.id,
        "afloop",
        {"uitkomst": "gestaakt", "verwijtbaarGestaakt": True, "toelichting": "Structureel niet verschenen"},
    )
    decided = do(engine, case.id, "terugvordering_besluiten", {"besluit": "terugvorderen"}, actor=TEAMLEIDER)
    return case, inst, decided


def test_scholing_fiat_books_the_course_to_the_opleider_and_travel_to_the_inwoner(db):
    engine = make_engine(db)
    case, inst, fiat = scholing_granted(engine)
    # seed 002 art 4 E: "Opleidingskosten en cursusbijdragen; Boeken en leermiddelen die door het
    # opleidingsinstituut verplicht zijn gesteld; Examengeld; Reiskosten": 1450 + 210.50 + 95 to the
    # opleider, the 180 travel costs to the person
    assert booked(engine, case.id) == [
        ("vergoeding", Decimal("1755.50"), "ROC Friese Poort", "concept"),
        ("vergoeding", Decimal("180.00"), "Bram Kramer", "concept"),
    ]
    seq = event_of(engine, case.id, fiat)
    assert {(x.instance_id, x.event_seq, x.beslissing) for x in lines(engine, case.id)} == {
        (inst, seq, "ScholingToegang")
    }
    book = ledger.Ledger(engine)
    course = lines(engine, case.id)[0]
    with pytest.raises(ConflictError, match="vier ogen"):
        book.approve(course.id, FINANCIEN, FIN)  # the one who fiatted it
    assert book.approve(course.id, FINANCIEN_2, FIN).status == "goedgekeurd"
    rows = list(csv.DictReader(io.StringIO(book.export_csv("ooststellingwerf", FINANCIEN_2)), delimiter=";"))
    assert [(r["soort"], r["ontvanger"], r["bedrag"], r["beslissing"]) for r in rows] == [
        ("vergoeding", "ROC Friese Poort", "1755.50", "ScholingToegang")
    ]


def test_scholing_recovery_is_a_beschikking_with_its_amount_and_a_terugvordering_line(db):
    engine = make_engine(db)
    case, inst, decided = scholing_recovered(engine)
    assert processes(engine, case.id) == [(inst, "scholing", "completed")]
    grant, recovery_letter = letters(engine, case.id)
    assert grant.besluit == "toekennen"
    # seed 002 art 4: "Indien de persoon door verwijtbare handelingen de scholing moet staken wordt het
    # toegekende bedrag teruggevorderd": 1.935,50, from the person, a decision of its own (Awb 4:57)
    assert (recovery_letter.besluit, recovery_letter.status) == ("terugvorderen", "geldig")
    assert recovery_letter.bedrag == Decimal("1935.50")  # listed with the letter, not only in the PDF
    assert "art. 4" in recovery_letter.regel and "ScholingTerugvordering" in recovery_letter.regel
    assert "Structureel niet verschenen" in recovery_letter.motivering
    assert recovery_letter.bezwaar_einde == date(2025, 7, 14)  # sent 2 June + six weeks (Awb 6:7, 6:8)
    text = pdf_text(engine, recovery_letter)
    for expected in ("wij vorderen EUR 1.935,50 van u terug", "Bedrag: EUR 1.935,50", "6:7", "14 juli 2025"):
        assert expected in text, expected
    recovery = lines(engine, case.id)[-1]
    assert (recovery.soort, recovery.bedrag, recovery.ontvanger, recovery.status, recovery.created_by) == (
        "terugvordering",
        Decimal("1935.50"),
        "Bram Kramer",
        "concept",
        TEAMLEIDER,
    )
    # linked to the decision (not to its letter's event)
    assert recovery.event_seq == recovery_letter.event_seq == event_of(engine, case.id, decided)
    assert recovery.beslissing == "ScholingTerugvordering"
    # payable (to be collected) only after financien approves it
    assert ledger.Ledger(engine).approve(recovery.id, FINANCIEN, FIN).status == "goedgekeurd"
    assert engine.verify(case.id).ok


def test_no_recovery_decided_means_no_letter_and_no_line(db):
    engine = make_engine(db)
    case, _, _ = scholing_granted(engine)
    engine.deliver_message("ScholingGestaakt", {"datum": "2025-06-02"}, case_id=case.id)
    # art 4: "niet succesvol afrondt, maar zich wel heeft ingespannen ... vindt geen terugvordering plaats"
    do(
        engine,
        case.id,
        "afloop",
        {
            "uitkomst": "gestaakt",
            "verwijtbaarGestaakt": False,
            "ingespannen": True,
            "bovenmatigVerzuim": False,
        },
    )
    do(engine, case.id, "terugvordering_besluiten", {"besluit": "niet_terugvorderen"}, actor=TEAMLEIDER)
    assert [b.besluit for b in letters(engine, case.id)] == ["toekennen"]
    assert "terugvordering" not in [x[0] for x in booked(engine, case.id)]


def test_upheld_bezwaar_against_the_recovery_withdraws_the_line_ongegrond_keeps_it(db):
    engine = make_engine(db)
    service = beschikking.BezwaarService(engine)
    case, _, _ = scholing_recovered(engine)
    letter = letters(engine, case.id)[-1]
    on_day(engine, date(2025, 7, 14))
    bezwaar = service.register(letter.id, date(2025, 7, 14), "Ik was ziek, zie de verklaring.", BEZWAAR)
    assert bezwaar.tijdig  # the last day of the term (Awb 6:7)
    service.decide(bezwaar.id, "gegrond", "Verzuim door ziekte is niet verwijtbaar.", BEZWAAR)
    assert letters(engine, case.id)[-1].status == "herzien"
    recovery = lines(engine, case.id)[-1]
    assert (recovery.soort, recovery.status) == ("terugvordering", "vervallen")
    with pytest.raises(ConflictError):
        ledger.Ledger(engine).approve(recovery.id, FINANCIEN_2, FIN)  # nothing to collect any more
    assert "Bram Kramer" not in ledger.Ledger(engine).export_csv("ooststellingwerf", FINANCIEN_2)
    (revised,) = [e for e in engine.history(case.id) if e.kind == "beschikking_revised"]
    assert (revised.payload["boekingen_vervallen"], revised.payload["tegenboekingen"]) == ([recovery.id], [])
    assert engine.verify(case.id).ok

    other, _, _ = scholing_recovered(engine, "999990068", "Joke Meijer")
    letter = letters(engine, other.id)[-1]
    on_day(engine, date(2025, 6, 20))
    bezwaar = service.register(letter.id, date(2025, 6, 20), "Oneens.", BEZWAAR)
    service.decide(bezwaar.id, "ongegrond", "Bovenmatig verzuim is aangetoond.", BEZWAAR)
    assert lines(engine, other.id)[-1].status == "concept"


def test_an_approved_recovery_withdrawn_on_bezwaar_is_no_longer_counted_as_committed(db):
    from processes.reports.periods import parse_period
    from processes.reports.quarterly import build, section

    engine = make_engine(db)
    case, _, _ = scholing_recovered(engine)
    recovery = lines(engine, case.id)[-1]
    ledger.Ledger(engine).approve(recovery.id, FINANCIEN, FIN)  # approved, not yet exported
    service = beschikking.BezwaarService(engine)
    on_day(engine, date(2025, 6, 10))
    bezwaar = service.register(letters(engine, case.id)[-1].id, date(2025, 6, 10), "Ik was ziek.", BEZWAAR)
    service.decide(bezwaar.id, "gegrond", "Verzuim door ziekte is niet verwijtbaar.", BEZWAAR)
    assert lines(engine, case.id)[-1].status == "vervallen"
    (withdrawn,) = [e for e in engine.history(case.id) if e.kind == "ledger_line_withdrawn"]
    assert (withdrawn.payload["line_id"], withdrawn.payload["was"]) == (recovery.id, "goedgekeurd")
    money = {
        row[0]: row[-2:]
        for row in section(build(db, "ooststellingwerf", parse_period("2025-K2")), "bedragen")["rows"]
    }
    assert money["Terugvorderingen"] == ["0.00", "0.00"]  # approved and withdrawn in the same quarter
    assert engine.verify(case.id).ok


def test_upheld_bezwaar_after_the_recovery_went_to_the_financial_system_books_a_counter_line(db):
    engine = make_engine(db)
    case, _, _ = scholing_recovered(engine)
    book = ledger.Ledger(engine)
    recovery = lines(engine, case.id)[-1]
    book.approve(recovery.id, FINANCIEN, FIN)
    book.export_csv("ooststellingwerf", FINANCIEN)  # the financial system has the claim now
    service = beschikking.BezwaarService(engine)
    on_day(engine, date(2025, 6, 10))
    bezwaar = service.register(letters(engine, case.id)[-1].id, date(2025, 6, 10), "Ik was ziek.", BEZWAAR)
    service.decide(bezwaar.id, "gegrond", "Verzuim door ziekte is niet verwijtbaar.", BEZWAAR)
    *_, kept, counter = lines(engine, case.id)
    assert (kept.id, kept.status) == (recovery.id, "goedgekeurd")
    # the claim cannot be pulled back from the financial system: an opposite line undoes it, and
    # it too waits for a second person
    assert (counter.soort, counter.bedrag, counter.ontvanger, counter.status, counter.created_by) == (
        "vergoeding",
        Decimal("1935.50"),
        "Bram Kramer",
        "concept",
        BEZWAAR,
    )
    assert f"regel {recovery.id}" in counter.omschrijving and "gegrond" in counter.omschrijving
    assert engine.verify(case.id).ok


# --- loonkostensubsidie (seed 002 art 7, 13, 18, 20) ---------------------------------------------


LKS_WERKGEVER = "Metaalbewerking Oosterwolde B.V."


def lks_aanvraag(engine, route: str, bsn: str = "999990056", **extra):
    """A loonkostensubsidie aanvraag for a workplace that started 1 March 2025, by ``route``."""
    case, inst = start(engine, "loonkostensubsidie", bsn, "Rik Hoekstra")
    do(engine, case.id, "aanvraag", {"werkgever": LKS_WERKGEVER, "ontvangstAanvraag": date(2025, 3, 3),
                                     "startWerkplek": date(2025, 3, 1), "viaProefplaats": False,
                                     "route": route, **extra})
    return case, inst


def lks_decided(engine, route, besluit_data, bsn="999990056"):
    case, inst = lks_aanvraag(engine, route, bsn)
    do(engine, case.id, "loonwaarde", {"loonwaarde": 50, "loonwaardeVastgesteld": date(2025, 3, 3)})
    do(engine, case.id, "besluiten", besluit_data, actor=TEAMLEIDER)
    return case, inst


GRANT = {"besluit": "toekennen", "ingangsdatum": date(2025, 3, 1)}


def test_loonkostensubsidie_is_booked_to_the_employer_month_by_month_for_the_granted_period(db):
    engine = make_engine(db)
    # 1.234,565 a month is 1.234,57 (half up); six months is 7.407,42
    case, inst = lks_decided(
        engine, "forfaitair", {**GRANT, "subsidiePerMaand": 1234.565, "subsidieMaanden": 6}
    )
    (letter,) = letters(engine, case.id)
    assert "EUR 7407.42" in letter.motivering and "Bedrag: EUR 7.407,42" in pdf_text(engine, letter)
    assert booked(engine, case.id) == [] and task_names(engine, case.id) == ["fiatteren"]
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    assert booked(engine, case.id) == []  # wages are subsidised after the month they were paid for
    assert advance_to(engine, date(2025, 3, 31)) == 0
    assert advance_to(engine, date(2025, 4, 1)) == 1
    (april,) = lines(engine, case.id)
    assert (april.soort, april.bedrag, april.ontvanger, april.beslissing, april.instance_id) == (
        "subsidie",
        Decimal("1234.57"),
        "Metaalbewerking Oosterwolde B.V.",
        "Loonkostensubsidie",
        inst,
    )
    (timer_event,) = [e for e in engine.history(case.id) if e.seq == april.event_seq]
    assert timer_event.kind != "task_completed"  # the month's timer booked it, not a person
    assert "maand vanaf 2025-03-01" in april.omschrijving and "loonwaarde 50%" in april.omschrijving
    # seed 002 art 20: forfaitair "maximaal voor een periode van 6 maanden": six lines, then the
    # payments stop and the case waits for the measured loonwaarde (escalated, see below)
    advance_to(engine, date(2025, 12, 1))
    booked_lines = lines(engine, case.id)
    assert len(booked_lines) == 6 and sum(x.bedrag for x in booked_lines) == Decimal("7407.42")
    assert booked_lines[-1].omschrijving.endswith("2025-08-01")
    assert processes(engine, case.id) == [(inst, "loonkostensubsidie", "running")]
    assert task_names(engine, case.id) == ["meting_te_laat"]
    # each month is payable only after a second person approves it
    assert ledger.Ledger(engine).approve(april.id, FINANCIEN_2, FIN).status == "goedgekeurd"
    assert engine.verify(case.id).ok


def test_forfaitaire_loonkostensubsidie_at_most_six_months_and_it_stops_when_the_worker_leaves(db):
    engine = make_engine(db)
    # seed 002 art 20: forfaitaire loonkostensubsidie "tot een maximum van 50 %. Dit kan maximaal voor
    # een periode van 6 maanden": 7 months is refused, exactly 6 accepted (above)
    with pytest.raises(StepFailed, match="maximaal 6 maanden"):
        lks_decided(engine, "forfaitair", {**GRANT, "subsidiePerMaand": 900, "subsidieMaanden": 7})
    with pytest.raises(StepFailed, match="subsidie per maand"):
        lks_decided(engine, "doelgroep_bekend", GRANT, bsn="999990068")
    # a measured loonwaarde is not limited to six months
    case, inst = lks_decided(
        engine, "doelgroep_bekend", {**GRANT, "subsidiePerMaand": 900, "subsidieMaanden": 12}, bsn="999990081"
    )
    do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    advance_to(engine, date(2025, 5, 1))  # April and March are over (one catch-up step books both)
    assert len(booked(engine, case.id)) == 2
    engine.deliver_message("WerknemerUitDienst", {"datum": "2025-05-15"}, case_id=case.id)
    assert processes(engine, case.id) == [(inst, "loonkostensubsidie", "completed")]
    advance_to(engine, date(2025, 8, 1))
    assert (
        booked(engine, case.id)
        == [("subsidie", Decimal("900.00"), "Metaalbewerking Oosterwolde B.V.", "concept")] * 2
    )


def test_a_refused_loonkostensubsidie_books_nothing(db):
    engine = make_engine(db)
    case, inst = lks_decided(
        engine, "doelgroep_bekend", {"besluit": "afwijzen", "motivering": "Geen dienstverband."}
    )
    assert booked(engine, case.id) == []
    assert processes(engine, case.id) == [(inst, "loonkostensubsidie", "completed")]


# --- the beschikking itself ----------------------------------------------------------------------


def test_a_terugvordering_without_an_amount_is_refused_and_amounts_print_the_dutch_way(db):
    from sqlalchemy import select

    from engine.errors import InvalidInput
    from engine.storage.db import cases
    from processes import beschikking_pdf

    engine = make_engine(db)
    opened = engine.open_case("ooststellingwerf", "999990056", "Bram Kramer", actor="cm")
    with db.begin() as conn:
        row = dict(conn.execute(select(cases).where(cases.c.id == opened.id)).mappings().one())
        for bedrag in (None, Decimal("0")):
            with pytest.raises(InvalidInput, match="bedrag"):
                beschikking.issue(
                    conn,
                    row,
                    onderwerp="Terugvordering",
                    besluit="terugvorderen",
                    motivering="",
                    regel="",
                    actor="tl",
                    now=engine.clock.now(),
                    bedrag=bedrag,
                )

    assert beschikking_pdf.euro(Decimal("1935.5")) == "EUR 1.935,50"
    assert beschikking_pdf.euro(Decimal("287.65")) == "EUR 287,65"
    assert beschikking_pdf.decision_line(
        "Terugvordering scholingskosten", "terugvorderen", Decimal("12")
    ) == ("Besluit: wij vorderen EUR 12,00 van u terug (terugvordering scholingskosten).")

"""Ledger of money (issue 3 item 5): lines from the fiat, four eyes, CSV export, cents."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from engine.errors import ConflictError, InvalidInput
from processes import ledger
from tests.processes.helpers import FINANCIEN, TEAMLEIDER, do, make_engine
from tests.processes.test_premies import UITSTROOM, start

FINANCIEN_2 = "fa.pietersen"
FIN = frozenset({"financien"})


def paid_premium(engine):
    """Uitstroompremie (seed 002 art 15) to the first fiat: one € 600 line in concept."""
    from tests.processes.helpers import advance_to

    case, inst = start(engine)
    do(engine, case.id, "uitstroom", UITSTROOM)
    do(engine, case.id, "recht_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    advance_to(engine, date(2025, 7, 15))
    do(engine, case.id, "aanvraag", {"aanvraagdatum": date(2025, 7, 15), "nogAanHetWerk": True})
    do(engine, case.id, "premie_besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    fiat = do(engine, case.id, "fiatteren", {"gefiatteerd": True}, actor=FINANCIEN)
    return case, inst, fiat


def test_fiat_books_a_line_linked_to_case_instance_and_fiat_event(db):
    engine = make_engine(db)
    case, inst, fiat = paid_premium(engine)
    with db.connect() as conn:
        (line,) = ledger.lines(conn, case_id=case.id)
    fiat_event = [
        e for e in engine.history(case.id) if e.kind == "task_completed" and e.task_id == fiat.task_id
    ]
    assert (line.instance_id, line.event_seq, line.beslissing) == (
        inst,
        fiat_event[0].seq,
        "UitstroompremieMoment",
    )
    assert (line.created_by, line.status, line.bedrag, line.case_number) == (
        FINANCIEN,
        "concept",
        Decimal("600.00"),
        case.case_number,
    )
    assert engine.verify(case.id).ok  # the booking did not change what the replay computes


def test_four_eyes_a_second_financien_person_approves_then_csv_then_paid(db):
    engine = make_engine(db)
    case, _, _ = paid_premium(engine)
    book = ledger.Ledger(engine)
    with db.connect() as conn:
        (line,) = ledger.lines(conn, case_id=case.id)
    with pytest.raises(ConflictError, match="vier ogen"):
        book.approve(line.id, FINANCIEN, FIN)  # the one who created it
    with pytest.raises(ConflictError, match="financiële administratie"):
        book.approve(line.id, TEAMLEIDER, frozenset({"teamleider"}))
    assert book.export_csv("ooststellingwerf", FINANCIEN_2).count("\r\n") == 1  # concept is not payable
    approved = book.approve(line.id, FINANCIEN_2, FIN)
    assert (approved.status, approved.approved_by) == ("goedgekeurd", FINANCIEN_2)
    with pytest.raises(ConflictError):
        book.approve(line.id, FINANCIEN_2, FIN)

    rows = list(csv.DictReader(io.StringIO(book.export_csv("ooststellingwerf", FINANCIEN_2)), delimiter=";"))
    assert [(r["zaak"], r["soort"], r["bedrag"], r["ontvanger"], r["goedgekeurd_door"]) for r in rows] == [
        (case.case_number, "premie", "600.00", "Marieke Zijlstra", FINANCIEN_2)
    ]
    assert book.export_csv("wassenaar", FINANCIEN_2).count("\r\n") == 1  # another gemeente sees nothing

    assert book.mark_paid(line.id, FINANCIEN_2, FIN).status == "betaald"
    kinds = [e.kind for e in engine.history(case.id)]
    # the export is a fact of the case too (issue 16): which lines went to the financial system
    assert kinds[-3:] == ["ledger_line_approved", "ledger_lines_exported", "ledger_line_paid"]
    assert engine.verify(case.id).ok


def test_a_line_goes_to_the_financial_system_in_one_export_only(db):
    """Issue 18 item 1 (premium → fiat → payment → export): a second export never holds a line again,
    so no payment is made twice; a line approved later is in the next export, alone."""
    engine = make_engine(db)
    case, _, _ = paid_premium(engine)
    book = ledger.Ledger(engine)
    with db.connect() as conn:
        (line,) = ledger.lines(conn, case_id=case.id)
    book.approve(line.id, FINANCIEN_2, FIN)
    first = list(csv.DictReader(io.StringIO(book.export_csv("ooststellingwerf", FINANCIEN_2)), delimiter=";"))
    assert [r["regel"] for r in first] == [str(line.id)]
    assert book.export_csv("ooststellingwerf", FINANCIEN_2).count("\r\n") == 1  # the header only
    with db.connect() as conn:
        assert ledger.lines(conn, case_id=case.id, exported=False) == []
        (exported,) = ledger.lines(conn, case_id=case.id, exported=True)
    assert exported.status == "goedgekeurd" and exported.exported_at is not None  # not paid yet
    assert [e.kind for e in engine.history(case.id)].count("ledger_lines_exported") == 1
    assert book.mark_paid(line.id, FINANCIEN_2, FIN).status == "betaald"
    assert engine.verify(case.id).ok


@pytest.mark.parametrize(
    "given, cents",
    [
        ("12.345", "12.35"),
        ("12.344", "12.34"),
        (0.125, "0.13"),
        (2.675, "2.68"),
        ("1,005", "1.01"),
        (600, "600.00"),
    ],
)
def test_amounts_round_half_up_to_cents(given, cents):
    assert ledger.to_amount(given) == Decimal(cents)


def test_no_amount_no_line_and_bad_input_refused():
    with pytest.raises(InvalidInput):
        ledger.to_amount("zeshonderd")
    with pytest.raises(InvalidInput):
        ledger.to_amount("NaN")


def test_csv_neutralises_formulas():
    assert ledger._safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert ledger._safe("Zorgboerderij") == "Zorgboerderij"


def test_every_decision_on_the_premium_is_a_beschikking(db):
    from processes import beschikking

    engine = make_engine(db)
    case, inst, _ = paid_premium(engine)
    letters, _ = beschikking.BezwaarService(engine).list(case.id)
    # seed 002 art 15: the right to the premium, then the premium itself, each a beschikking
    assert [(b.onderwerp, b.besluit, b.instance_id) for b in letters] == [
        ("Recht op uitstroompremie", "toekennen", inst),
        ("Uitstroompremie", "toekennen", inst),
    ]
    assert all("Seed 002 art. 15" in b.regel for b in letters)
    assert "UitstroompremieMoment" in letters[1].regel  # the rule of the table that fired

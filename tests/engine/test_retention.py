"""Retention by case result and four-eyes destruction (issue 8, item 7).

Selectielijst gemeenten 2020 (shared/domain/government-conventions.md §4.3): 8.2 Geweigerd is kept
5 years, 8.4.1 Afgebroken (sociaal domein) 42 days, 8.1/8.3 ten years.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from engine.errors import ConflictError
from engine.storage.db import events, instances, work_items
from processes.retention import retention_of
from tests.engine.helpers import make_engine, only_task


def _closed_case(engine, bsn: str, resultaat: str):
    case, _ = engine.start_case("woerden", bsn, "Jan", "evaluatie", {})
    engine.complete(only_task(engine, case.id).task_id, {}, actor="cm1")
    engine.close_case(case.id, resultaat, retention_of(resultaat).bewaartermijn, actor="cm1")
    return case


def test_the_result_sets_the_archive_date(db):
    engine = make_engine(db)
    afgebroken = _closed_case(engine, "999990019", "afgebroken")
    geweigerd = _closed_case(engine, "999990020", "geweigerd")
    assert engine.due_for_destruction("woerden") == []
    engine.clock.advance(timedelta(days=42))
    assert [r["case_number"] for r in engine.due_for_destruction("woerden")] == [afgebroken.case_number]
    engine.clock.advance(timedelta(days=5 * 366))
    due = [r["case_number"] for r in engine.due_for_destruction("woerden")]
    assert due == [afgebroken.case_number, geweigerd.case_number]
    assert engine.due_for_destruction("apeldoorn") == []


def test_destruction_needs_a_second_person_and_removes_the_whole_case(db):
    engine = make_engine(db)
    gone = _closed_case(engine, "999990019", "afgebroken")
    kept, _ = engine.start_case("woerden", "999990020", "Piet", "evaluatie", {})
    engine.clock.advance(timedelta(days=43))
    list_id = engine.create_destruction_list("woerden", [gone.case_number], actor="beheerder1")
    with pytest.raises(ConflictError, match="vier ogen"):
        engine.approve_destruction_list(list_id, "woerden", actor="beheerder1")
    assert engine.approve_destruction_list(list_id, "woerden", actor="beheerder2") == 1
    with db.connect() as conn:
        for table in (events, instances, work_items):
            left = conn.execute(select(func.count()).select_from(table).where(table.c.case_id == gone.id))
            assert left.scalar_one() == 0
    record = engine.destruction_record(gone.case_number)
    assert record.list_id == list_id and record.resultaat == "afgebroken"
    assert engine.verify(kept.id).ok
    with pytest.raises(ConflictError, match="al uitgevoerd"):
        engine.approve_destruction_list(list_id, "woerden", actor="beheerder3")


def test_an_open_case_cannot_be_put_on_a_list(db):
    engine = make_engine(db)
    case, _ = engine.start_case("woerden", "999990019", "Jan", "evaluatie", {})
    with pytest.raises(ConflictError, match="niet \\(meer\\) te vernietigen"):
        engine.create_destruction_list("woerden", [case.case_number], actor="beheerder1")


def test_closing_records_the_result_in_the_history(db):
    engine = make_engine(db)
    case = _closed_case(engine, "999990019", "geweigerd")
    closed = engine.history(case.id)[-1]
    assert closed.kind == "case_closed" and closed.payload["resultaat"] == "geweigerd"
    assert closed.payload["archiefactiedatum"] == date(2031, 1, 5)
    assert engine.verify(case.id).ok

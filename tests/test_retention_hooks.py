"""Destroying a case removes its rows in every package's tables through the hooks the packages
register with the engine's retention (issue 15), and leaves other cases' rows alone."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework import notes
from casework import tables as casework_tables
from casework.people import User
from casework.tables import case_notes, case_teams, task_drafts
from casework.visibility import assign_case_team
from engine.retention import destruction
from processes import tables as processes_tables
from processes.retention import retention_of
from tests.engine.helpers import make_engine, only_task


def _case_with_package_rows(engine, db, bsn: str):
    case, _ = engine.start_case("woerden", bsn, "Jan", "evaluatie", {})
    task = only_task(engine, case.id)
    now = engine.clock.now()
    with db.begin() as conn:
        conn.execute(task_drafts.insert().values(task_id=task.task_id, username="cm1", data='{"x": 1}',
                                                 saved_at=now))
    with engine.case(case.id) as work:  # with their events: verify rebuilds both from them (issue 16)
        assign_case_team(work, User(1, "tl", "Teamleider", "woerden", frozenset({"teamleider"}), "Noord"))
        notes.record_note(work, "cm1", "Belde terug.")
    engine.complete(task.task_id, {}, actor="cm1")  # the draft's task is now only in the events
    return case


def test_each_package_registers_its_part_of_destroying_a_case():
    assert set(destruction.destroy_hooks()) >= {processes_tables.destroy_case_rows,
                                              casework_tables.destroy_case_rows}


@pytest.mark.parametrize("way_in", ["web.app", "cli.retention", "cli.datakey", "cli.worker"])
def test_every_way_in_registers_every_package_before_it_destroys_or_rewraps(way_in):
    """In a fresh interpreter: the app and the commands that destroy cases or re-encrypt protected
    columns see every package's tables and hooks, not only those some earlier import brought in."""
    probe = (f"import {way_in}\nfrom engine.retention import destruction\nfrom engine.storage import db\n"
             "print(len(db.registered_tables()), sorted(h.__module__ for h in destruction.destroy_hooks()))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["41", "['casework.tables',", "'processes.tables']"]


def test_destruction_removes_notes_drafts_and_team_of_that_case_only(db):
    engine = make_engine(db)
    gone = _case_with_package_rows(engine, db, "999990019")
    kept = _case_with_package_rows(engine, db, "999990020")
    engine.close_case(gone.id, "afgebroken", retention_of("afgebroken").bewaartermijn, actor="cm1")
    engine.clock.advance(timedelta(days=43))
    list_id = engine.create_destruction_list("woerden", [gone.case_number], actor="beheerder1")
    assert engine.approve_destruction_list(list_id, "woerden", actor="beheerder2") == 1
    with db.connect() as conn:
        def count(table, case_id):
            return conn.execute(select(func.count()).select_from(table).where(table.c.case_id == case_id)
                                ).scalar_one()
        assert [count(t, gone.id) for t in (case_notes, case_teams)] == [0, 0]
        assert [count(t, kept.id) for t in (case_notes, case_teams)] == [1, 1]
        drafts = conn.execute(select(func.count()).select_from(task_drafts)).scalar_one()
    assert drafts == 1  # the kept case's
    assert engine.verify(kept.id).ok

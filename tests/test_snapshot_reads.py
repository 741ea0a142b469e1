"""Long reads take a snapshot and leave the write lock to the steps (SQLite, the embedded default).

On SQLite a transaction that takes the write lock at BEGIN makes every case worker's step wait
until it ends; a report over all of a gemeente's events, the processing-log chain check or
`trede verify --all` would stop the office for as long as they read. They read a snapshot instead.
PostgreSQL readers never wait for writers; the same tests run there too.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select, text, update

from casework.accounts.service import User
from casework.people import get_user
from casework.tasks import find_task
from engine.audit import log_chain
from engine.audit.processing_log import LogQuery, log_processing, search
from engine.storage.db import cases
from processes.reports import history
from tests.engine.helpers import TEST_SEALER, make_engine, start_intake
from web.dossier.service import dossier
from web.worklist.service import Filters, worklist

GEMEENTE = "ooststellingwerf"


@pytest.fixture
def busy(db):
    """An engine with one case, and a step of that case holding the write lock meanwhile."""
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    log_processing(engine.db, "dossier-raadplegen", "cm1", "999990019", "ok", gemeente=GEMEENTE)
    with engine.db.begin() as step_elsewhere:
        step_elsewhere.execute(update(cases).where(cases.c.id == case.id).values(status=cases.c.status))
        yield engine, case


def _within_seconds(call, seconds: float = 10):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result(timeout=seconds)


def test_a_report_reads_the_events_while_a_step_runs(busy):
    engine, case = busy
    loaded = _within_seconds(lambda: history.load(engine.db, GEMEENTE, date(2026, 12, 31)))
    assert [c.case_number for c in loaded] == [case.case_number]


def test_the_auditor_searches_the_processing_log_while_a_step_runs(busy):
    engine, _ = busy
    found = _within_seconds(lambda: search(engine.db, LogQuery(gemeente=GEMEENTE, actor="cm1")))
    assert len(found) == 1


def test_the_processing_log_chain_is_checked_while_a_step_runs(busy):
    engine, _ = busy

    def check():
        with engine.reader.connect() as conn:
            return log_chain.verify(conn, GEMEENTE, TEST_SEALER)

    assert _within_seconds(check).lines >= 1


def test_a_case_worker_opens_worklist_task_and_dossier_while_a_step_runs(busy):
    """Pages read a snapshot too: a case worker is not kept waiting by another case's step."""
    engine, case = busy
    user = User(1, "tl1", "Teamleider", GEMEENTE, frozenset({"casemanager", "teamleider"}), None)
    page = _within_seconds(lambda: worklist(engine.db, user, Filters(view="alle")))
    assert [row.case_number for row in page.rows] == [case.case_number]
    task_id = page.rows[0].task_id
    task = _within_seconds(lambda: find_task(engine.db, user, task_id))
    assert task.case_number == case.case_number
    data, _ = _within_seconds(lambda: engine.task_view(task_id))
    assert data["peildatum"] == date(2026, 1, 31)
    seen = _within_seconds(lambda: dossier(engine, user, task.client_id))
    assert [c["case_number"] for c in seen.cases] == [case.case_number]
    assert [t.task_id for t in seen.tasks] == [task_id]
    assert _within_seconds(lambda: get_user(engine.db, 1)) is None  # no such account; the read ran


def test_a_reader_sees_one_snapshot_for_all_its_statements(db):
    """A replay reads events, then instances, then work items: a step that commits in between
    must not show up halfway (PostgreSQL: REPEATABLE READ; SQLite: one read transaction)."""
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    version = select(cases.c.version).where(cases.c.id == case.id)
    with engine.reader.connect() as conn:
        before = conn.execute(version).scalar_one()
        engine.claim(engine.ready_tasks(case_id=case.id)[0].task_id, "cm1")  # another connection
        assert conn.execute(version).scalar_one() == before
    assert engine.get_case(case.id).version == before + 1


def test_reads_between_steps_keep_the_prepared_statements(db):
    """PostgreSQL: psycopg drops its prepared statements at every ROLLBACK; a read-only
    transaction ends with COMMIT instead, so the statements of a step are planned once, not on
    every step after a worklist read (engine.storage.db._end_reads_with_commit)."""
    if db.dialect.name != "postgresql":
        pytest.skip("prepared statements are psycopg's")
    engine = make_engine(db)
    db.pool.dispose()
    for _ in range(8):  # psycopg prepares a statement from its fifth use on one connection
        case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
        task = engine.ready_tasks(case_id=case.id)[0]  # a read between the steps, as a page does
        engine.complete(task.task_id, {"trede": 4}, actor="cm1")
    with db.connect() as conn:
        prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("FOR UPDATE" in s for s in prepared), prepared  # the step's locking read
    assert any(s.startswith("INSERT INTO events") for s in prepared), prepared

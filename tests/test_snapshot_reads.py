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
from sqlalchemy import update

from engine import log_chain
from engine.db import cases
from engine.processing_log import LogQuery, log_processing, search
from processes.reports import history
from tests.engine.helpers import TEST_SEALER, make_engine, start_intake

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

"""The bulk generator writes cases the engine accepts: verify replays them, and the engine steps on.

Correctness only (no timing): a few copies on SQLite, every one verified.
"""
from __future__ import annotations

import secrets

from sqlalchemy import text

from bench.databases import sqlite_database
from bench.generator import generate
from bench.http_load import TASK_DATA
from engine.audit.seal import Sealer
from engine.service import CaseEngine
from engine.storage.db import make_db_engine


def test_generated_cases_verify_and_continue():
    key = secrets.token_bytes(32)
    with sqlite_database() as url:
        generated = generate(url, 12, key, variants=1)
        engine = CaseEngine(make_db_engine(url), sealer=Sealer(key))
        try:
            ids = list(range(generated.first_case_id, generated.first_case_id + generated.cases))
            assert len(engine.case_ids()) == len(ids) + len(generated.templates)
            assert all(engine.verify(case_id).ok for case_id in ids)
            assert len(engine.ready_tasks()) == 3 * (len(ids) + len(generated.templates))
            item = next(t for t in engine.ready_tasks(case_id=ids[0]) if t.task_name in TASK_DATA)
            engine.complete(item.task_id, TASK_DATA[item.task_name], actor=item.claimed_by or "cm")
            assert engine.verify(ids[0]).ok
        finally:
            engine.db.dispose()


def test_a_tampered_copy_is_caught():
    key = secrets.token_bytes(32)
    with sqlite_database() as url:
        generated = generate(url, 3, key, variants=1)
        engine = CaseEngine(make_db_engine(url), sealer=Sealer(key))
        try:
            victim = generated.first_case_id + 1
            with engine.db.begin() as conn:
                conn.execute(text("UPDATE events SET actor = 'iemand anders' WHERE case_id = :c AND seq = 2"),
                             {"c": victim})
            assert not engine.verify(victim).ok
            assert engine.verify(generated.first_case_id).ok
        finally:
            engine.db.dispose()

"""The processing log is a hash chain per gemeente with a sealed head: tampering is found."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import delete, insert, select, update

from cli.logboek import command as logboek
from engine.audit import log_chain
from engine.audit.processing_log import log_processing
from engine.storage.db import processing_log

BSN = "999990019"


def _write(db, n: int, gemeente: str = "woerden", case: str = "Z2026-000001") -> None:
    for i in range(n):
        log_processing(db, "dossier-raadplegen", f"cm{i}", BSN, "HTTP 200", gemeente=gemeente,
                       object_ref=case)


def _verdict(db, gemeente: str = "woerden"):
    with db.connect() as conn:
        return log_chain.verify(conn, gemeente)


def _row_id(db, seq: int, gemeente: str = "woerden") -> int:
    with db.connect() as conn:
        return conn.execute(select(processing_log.c.id).where(
            processing_log.c.gemeente == gemeente, processing_log.c.seq == seq)).scalar_one()


def test_an_untouched_log_verifies_per_gemeente(db, db_url):
    _write(db, 4)
    _write(db, 2, gemeente="apeldoorn")
    assert _verdict(db).ok and _verdict(db).lines == 4 and _verdict(db, "apeldoorn").lines == 2
    result = CliRunner().invoke(logboek, ["verify", "--database-url", db_url])
    assert result.exit_code == 0 and "OK woerden: 4 regels" in result.output


def test_an_edited_line_is_found(db, db_url):
    _write(db, 4)
    line = processing_log.c.id == _row_id(db, 2)
    with db.begin() as conn:  # somebody hides who looked at the dossier
        conn.execute(update(processing_log).where(line).values(actor="niemand"))
    verdict = _verdict(db)
    assert not verdict.ok and "regel 2" in verdict.problems[0] and "gewijzigd" in verdict.problems[0]
    result = CliRunner().invoke(logboek, ["verify", "--gemeente", "woerden", "--database-url", db_url])
    assert result.exit_code == 1 and "AFWIJKING woerden: regel 2" in result.output


def test_a_deleted_line_in_the_middle_or_at_the_end_is_found(db):
    _write(db, 4)
    fourth, second = _row_id(db, 4), _row_id(db, 2)
    with db.begin() as conn:
        conn.execute(delete(processing_log).where(processing_log.c.id == fourth))
    assert "eindigt niet" in _verdict(db).problems[0]
    with db.begin() as conn:
        conn.execute(delete(processing_log).where(processing_log.c.id == second))
    assert "regel 2 ontbreekt" in _verdict(db).problems[0]


def test_a_chain_rewritten_without_the_key_breaks_the_seal(db):
    _write(db, 3)
    second, third = _row_id(db, 2), _row_id(db, 3)
    with db.begin() as conn:  # drop line 3 and move the head back, with correct hashes: no key
        row = conn.execute(select(processing_log).where(processing_log.c.id == second)).mappings().one()
        conn.execute(delete(processing_log).where(processing_log.c.id == third))
        conn.execute(update(log_chain.processing_log_heads).values(seq=2, head_hash=row["hash"]))
    assert "zegel" in _verdict(db).problems[0]


def test_a_line_slipped_in_outside_the_chain_is_found(db):
    _write(db, 2)
    now = datetime.now(UTC)
    with db.begin() as conn:
        conn.execute(insert(processing_log).values(
            trace_id="0" * 32, span_id="1" * 16, name="x", start_time=now, end_time=now, status_code=1,
            processing_activity_id="urn:x", gemeente="woerden", actor="x", result="x", at=now))
    assert "buiten de keten" in _verdict(db).problems[0]


def test_destroying_a_case_blanks_its_lines_and_the_chain_still_verifies(db):
    _write(db, 2, case="Z2026-000001")
    _write(db, 1, case="Z2026-000002")
    with db.begin() as conn:
        case = processing_log.c.object_ref == "Z2026-000001"
        assert log_chain.destroy_lines(conn, case, datetime.now(UTC)) == 2
        left = conn.execute(select(processing_log.c.object_ref, processing_log.c.data_subject_id)
                            .where(processing_log.c.destroyed_at.is_not(None))).all()
    assert left == [(None, None), (None, None)]
    verdict = _verdict(db)
    assert verdict.ok and verdict.lines == 3 and verdict.destroyed == 2


def test_writers_at_the_same_moment_each_get_their_own_link(db):
    threads = [threading.Thread(target=_write, args=(db, 5)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    verdict = _verdict(db)
    assert verdict.ok and verdict.lines == 20


def test_destroying_a_case_through_retention_keeps_the_log_verifiable(db):
    from datetime import timedelta

    from processes.retention import retention_of
    from tests.engine.helpers import make_engine, only_task

    engine = make_engine(db)
    case, _ = engine.start_case("woerden", BSN, "Jan", "evaluatie", {})
    engine.complete(only_task(engine, case.id).task_id, {}, actor="cm1")
    engine.close_case(case.id, "afgebroken", retention_of("afgebroken").bewaartermijn, actor="cm1")
    _write(db, 2, case=case.case_number)
    _write(db, 1, case="Z-ANDER")
    engine.clock.advance(timedelta(days=43))
    list_id = engine.create_destruction_list("woerden", [case.case_number], actor="beheerder1")
    assert engine.approve_destruction_list(list_id, "woerden", actor="beheerder2") == 1
    with db.connect() as conn:
        query = select(processing_log.c.object_ref).order_by(processing_log.c.seq)
        refs = conn.execute(query).scalars().all()
    assert refs == [None, None, "Z-ANDER"]  # nothing says any more which case or person it was
    verdict = _verdict(db)
    assert verdict.ok and verdict.lines == 3 and verdict.destroyed == 2

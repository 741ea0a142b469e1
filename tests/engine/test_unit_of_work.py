"""The engine's unit of work: a block of changes to a case commits once, or leaves nothing behind."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from engine.errors import ConflictError, EngineError, InvalidInput
from engine.storage.db import cases, clients, deadlines, events, instances
from engine.unit_of_work import CaseWork
from processes import documents
from tests.engine.helpers import BSN, make_engine, only_task, start_intake

PDF = b"%PDF-1.4\n% plan\n"


def _everything(db, case_id: int = 1) -> tuple:
    """What a unit of work could have written: cases, events, instances, deadlines, documents."""
    with db.connect() as conn:
        return (
            conn.execute(select(cases.c.id, cases.c.version, cases.c.event_count, cases.c.head_hash)
                         .order_by(cases.c.id)).all(),
            conn.execute(select(func.count()).select_from(events)).scalar_one(),
            conn.execute(select(func.count()).select_from(instances)).scalar_one(),
            conn.execute(select(func.count()).select_from(deadlines)).scalar_one(),
            conn.execute(select(func.count()).select_from(clients)).scalar_one(),
            [d.id for d in documents.of_case(conn, case_id)],
        )


@pytest.fixture
def opened(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    return engine, case


def _count_commits(engine) -> list:
    commits: list = []
    event.listen(engine.db, "commit", lambda conn: commits.append(1))
    return commits


def test_a_unit_of_work_commits_its_events_process_deadline_and_rows_once(opened):
    engine, case = opened
    commits = _count_commits(engine)
    with engine.case(case.id, expected_version=case.version) as c:
        doc = documents.add(c, "plan_van_aanpak", "plan.pdf", PDF, "cm1")  # the application's own row
        c.set_deadline("Beslistermijn", date(2026, 1, 5), "P8W", "cm1", legal_basis="Awb 4:13")
        instance_id = c.start_process("evaluatie", {}, "cm1")
        c.append("notitie_toegevoegd", "cm1", {"tekst": "gebeld"})
        inside = c.ref
        with engine.reader.connect() as other:  # nothing is visible before the block ends
            seen = other.execute(select(cases.c.version).where(cases.c.id == case.id)).scalar()
        assert seen == case.version
    assert len(commits) == 1
    after = engine.get_case(case.id)
    assert after.version == inside.version > case.version
    kinds = [e.kind for e in engine.history(case.id)]
    assert kinds[-4:] == ["document_added", "deadline_set", "instance_started", "notitie_toegevoegd"]
    assert after.version - case.version == 4  # one version per event, as every step does
    assert [d.name for d in engine.case_deadlines(case.id)] == ["Beslistermijn"]
    assert [d.id for d in documents.Documents(engine).list(case.id)] == [doc.id]
    assert instance_id in {t.instance_id for t in engine.ready_tasks(case_id=case.id)}
    assert engine.verify(case.id).ok  # the hash chain and the seal hold over the whole unit


def test_an_exception_in_the_block_leaves_nothing_not_even_a_version(opened, db):
    engine, case = opened
    before = _everything(db, case.id)
    with pytest.raises(RuntimeError, match="halfway"):
        with engine.case(case.id) as c:
            documents.add(c, "plan_van_aanpak", "plan.pdf", PDF, "cm1")
            c.set_deadline("Beslistermijn", date(2026, 1, 5), "P8W", "cm1")
            c.start_process("evaluatie", {}, "cm1")
            c.append("notitie_toegevoegd", "cm1", {"tekst": "gebeld"})
            raise RuntimeError("halfway")
    assert _everything(db, case.id) == before
    assert engine.get_case(case.id).version == case.version
    assert engine.verify(case.id).ok


def test_a_stale_expected_version_is_refused_before_anything_is_written(opened, db):
    engine, case = opened
    engine.claim(only_task(engine, case.id).task_id, "cm1")  # someone else moved the case on
    before = _everything(db, case.id)
    ran = []
    with pytest.raises(ConflictError, match="gewijzigd sinds u haar opende"):
        with engine.case(case.id, expected_version=case.version) as c:
            ran.append(c)
    assert ran == [] and _everything(db, case.id) == before


def test_a_new_case_exists_only_when_its_block_completes(db):
    engine = make_engine(db)
    before = _everything(db)
    with pytest.raises(EngineError):
        with engine.new_case("ooststellingwerf", BSN, "Jan Jansen", "intake") as c:
            c.start_process("bestaat_niet", {}, "intake")  # not deployed: NotFound
    assert _everything(db) == before  # no case, no client, no event
    with engine.new_case("ooststellingwerf", BSN, "Jan Jansen", "intake") as c:
        c.start_process("intake", {"peildatum": date(2026, 1, 31)}, "intake")
    assert [e.kind for e in engine.history(c.id)] == ["case_opened", "instance_started"]


def test_an_attempt_undoes_only_its_own_part(opened):
    engine, case = opened
    with engine.transaction() as tx:
        c = tx.case(case.id)
        c.append("notitie_toegevoegd", "cm1", {"tekst": "eerst"})
        with pytest.raises(EngineError), c.attempt():
            c.append("notitie_toegevoegd", "cm1", {"tekst": "mislukt"})
            c.start_process("bestaat_niet", {}, "cm1")
        c.append("notitie_toegevoegd", "cm1", {"tekst": "daarna"})
    notes = [e.payload["tekst"] for e in engine.history(case.id) if e.kind == "notitie_toegevoegd"]
    assert notes == ["eerst", "daarna"]
    assert engine.get_case(case.id).version == case.version + 2
    assert engine.verify(case.id).ok


def test_the_engine_writes_its_own_kinds_and_a_finished_unit_is_closed(opened):
    engine, case = opened
    with engine.case(case.id) as c:
        with pytest.raises(InvalidInput):
            c.append("task_completed", "cm1", {})  # replayed input: only engine.complete writes it
        assert isinstance(c, CaseWork) and c.row["case_number"] == case.case_number
    with pytest.raises(EngineError, match="afgesloten"):
        c.append("notitie_toegevoegd", "cm1", {"tekst": "te laat"})
    assert engine.get_case(case.id).version == case.version


def test_one_transaction_holds_a_case_once(opened):
    engine, case = opened
    with engine.transaction() as tx:
        first = tx.case(case.id)
        first.append("notitie_toegevoegd", "cm1", {"tekst": "een"})
        again = tx.case(case.id)  # the same unit, at its current version: no self-conflict
        assert again is first
        again.append("notitie_toegevoegd", "cm1", {"tekst": "twee"})
    assert engine.get_case(case.id).version == case.version + 2
    assert engine.verify(case.id).ok

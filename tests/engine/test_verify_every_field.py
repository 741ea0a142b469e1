"""Issue 16 items 1-2: every stored column of an event is under its hash, and an edit is named
precisely (the first deviating event by sequence number and what changed in it).

Each edit is made directly in the database, as an auditor trying trede would; `verify` must name
the event and, where the rest of the chain tells, the column with its stored and original value.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from engine.audit.journal import GENESIS, row_hash
from engine.storage.db import cases, events
from tests.engine.helpers import TEST_SEALER
from tests.engine.test_verify import lived_case  # noqa: F401 - the fixture


def _rows(engine, case_id: int) -> list[dict]:
    with engine.db.connect() as conn:
        return [dict(r) for r in conn.execute(select(events).where(events.c.case_id == case_id)
                                              .order_by(events.c.seq)).mappings()]


def _edit(engine, case_id: int, seq: int, **values) -> None:
    with engine.db.begin() as conn:
        conn.execute(update(events).where(events.c.case_id == case_id, events.c.seq == seq).values(**values))


def _completion(engine, case_id: int) -> dict:
    return next(r for r in _rows(engine, case_id) if r["kind"] == "task_completed")


# (column, how to change it, what the message must say beyond the event's number)
EDITS = [
    ("task_name", lambda row, rows: "andere_taak",
     "task_name: opgeslagen 'andere_taak', volgens het proces 'diagnose'"),
    ("instance_id", lambda row, rows: next(r["instance_id"] for r in rows
                                           if r["instance_id"] not in (None, row["instance_id"])),
     "instance_id: opgeslagen"),
    ("kind", lambda row, rows: "task_corrected", "kind: opgeslagen 'task_corrected', oorspronkelijk "
                                                 "'task_completed'"),
    ("actor", lambda row, rows: "iemand", "actor: opgeslagen 'iemand', oorspronkelijk 'cm1'"),
    ("state_hash", lambda row, rows: "f" * 64, "is gewijzigd"),
    ("payload", lambda row, rows: row["payload"].replace('"trede":4', '"trede":2'), "is gewijzigd"),
    ("hash", lambda row, rows: "e" * 64, "de opgeslagen hash is gewijzigd"),
]


@pytest.mark.parametrize("column, change, says", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_of_any_event_column_names_the_event_and_the_change(lived_case, column, change, says):  # noqa: F811
    engine, case = lived_case
    rows = _rows(engine, case.id)
    target = _completion(engine, case.id)
    _edit(engine, case.id, target["seq"], **{column: change(target, rows)})
    verdict = engine.verify(case.id)
    assert not verdict.ok
    assert verdict.first_bad_seq == target["seq"], verdict.problems
    assert verdict.problems[0].startswith(f"gebeurtenis {target['seq']} ("), verdict.problems
    assert any(says in p for p in verdict.problems), verdict.problems


def test_an_event_edited_and_rehashed_alone_is_named_not_its_successor(lived_case):  # noqa: F811
    """The editor recomputed the edited event's own hash: the next event still points at the old one."""
    engine, case = lived_case
    target = _completion(engine, case.id)
    edited = {**target, "actor": "iemand"}
    _edit(engine, case.id, target["seq"], actor="iemand", hash=row_hash(target["prev_hash"], edited))
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == target["seq"]
    assert f"gebeurtenis {target['seq']} (task_completed) is gewijzigd en opnieuw gehasht" in \
        verdict.problems[0]


def _rehash(engine, case_id: int, change, hash_format=2, reseal: bool = False) -> None:
    """Recompute every hash of the chain after ``change(row)`` (and, with the key, the seal);
    ``hash_format`` is a format or a function of the row giving it."""
    rows = _rows(engine, case_id)
    with engine.db.begin() as conn:
        prev = GENESIS
        for row in rows:
            row = change(dict(row))
            digest = row_hash(prev, row, hash_format(row) if callable(hash_format) else hash_format)
            conn.execute(update(events).where(events.c.id == row["id"]).values(
                **{k: v for k, v in row.items() if k not in ("id", "prev_hash", "hash")},
                prev_hash=prev, hash=digest))
            prev = digest
        values = {"head_hash": prev}
        if reseal:
            values["seal"] = TEST_SEALER.seal(case_id, len(rows), prev)
        conn.execute(update(cases).where(cases.c.id == case_id).values(**values))


def test_a_payload_edit_with_a_rehashed_chain_is_caught_by_the_seal_and_named(lived_case):  # noqa: F811
    engine, case = lived_case
    target = _completion(engine, case.id)

    def change(row):
        if row["seq"] == target["seq"]:
            row["payload"] = row["payload"].replace('"trede":4', '"trede":2')
        return row
    _rehash(engine, case.id, change)
    verdict = engine.verify(case.id)
    assert "zegel" in verdict.problems[0]
    assert verdict.first_bad_seq == target["seq"], verdict.problems  # not a later event
    assert any(f"gebeurtenis {target['seq']} (task_completed door cm1" in p and "toestand" in p
               for p in verdict.problems), verdict.problems


def test_events_hashed_the_old_way_still_verify(lived_case):  # noqa: F811
    """A database from before issue 16: every event in format 1 (sealed by trede at the time)."""
    engine, case = lived_case
    _rehash(engine, case.id, lambda row: row, hash_format=1, reseal=True)
    verdict = engine.verify(case.id)
    assert verdict.ok, verdict.problems
    assert verdict.legacy_seqs == [r["seq"] for r in _rows(engine, case.id)]
    # and once an event of the case is in format 2, no later one may fall back to format 1
    engine.record_fact(case.id, "notitie", "cm1", {"tekst": "nieuw formaat"})
    engine.record_fact(case.id, "notitie", "cm1", {"tekst": "nog een"})
    assert engine.verify(case.id).ok
    last = _rows(engine, case.id)[-1]["seq"]
    _rehash(engine, case.id, lambda row: row, hash_format=lambda row: 1 if row["seq"] in (
        *verdict.legacy_seqs, last) else 2, reseal=True)
    assert engine.verify(case.id).first_bad_seq == last


def test_an_old_event_s_task_name_is_checked_against_the_process(lived_case):  # noqa: F811
    """Format 1 left task_name out of the hash: the replay still finds an edit of it."""
    engine, case = lived_case
    target = _completion(engine, case.id)

    def change(row):
        if row["seq"] == target["seq"]:
            row["task_name"] = "andere_taak"
        return row
    _rehash(engine, case.id, change, hash_format=1, reseal=True)
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == target["seq"]
    assert "task_name: opgeslagen 'andere_taak'" in verdict.problems[0], verdict.problems


def test_an_old_event_s_instance_is_checked_against_the_instances(lived_case):  # noqa: F811
    engine, case = lived_case
    rows = _rows(engine, case.id)
    started = [r for r in rows if r["kind"] == "instance_started"]
    assert len(started) >= 2

    def change(row):
        if row["seq"] == started[1]["seq"]:
            row["instance_id"] = started[0]["instance_id"]
        return row
    _rehash(engine, case.id, change, hash_format=1, reseal=True)
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == started[1]["seq"]
    assert f"instance_id {started[0]['instance_id']} is niet de instantie die hier startte" in \
        verdict.problems[0], verdict.problems


@pytest.mark.parametrize("column, value, says", [
    ("title", "Iets anders", "kolom title: opgeslagen 'Iets anders'"),
    ("lane", "Directie", "kolom lane: opgeslagen 'Directie'"),
])
def test_a_worklist_row_edit_names_the_row_and_column(lived_case, column, value, says):  # noqa: F811
    from engine.storage.db import work_items
    engine, case = lived_case
    with engine.db.begin() as conn:
        conn.execute(update(work_items).where(work_items.c.case_id == case.id).values(**{column: value}))
    verdict = engine.verify(case.id)
    assert any(says in p and "work_items" in p for p in verdict.problems), verdict.problems


def test_an_instance_pointed_at_another_process_version_is_named(lived_case):  # noqa: F811
    from engine.storage.db import instances, process_versions
    engine, case = lived_case
    with engine.db.begin() as conn:
        other = conn.execute(select(process_versions.c.id).order_by(process_versions.c.id.desc())).scalar()
        first = conn.execute(select(instances.c.id, instances.c.process_version_id)
                             .where(instances.c.case_id == case.id).order_by(instances.c.id)).first()
        assert other != first.process_version_id
        conn.execute(update(instances).where(instances.c.id == first.id).values(process_version_id=other))
    verdict = engine.verify(case.id)
    assert any(f"instances {first.id}" in p and "process_version_id" in p for p in verdict.problems), \
        verdict.problems


def test_a_changed_stored_model_is_found_by_a_running_engine_without_restart(lived_case):  # noqa: F811
    """The engine verified the case (its caches are warm); then the stored model is edited in the
    database. The next verification, by the same engine, names the model and the first event."""
    from engine.storage.db import deployments
    engine, case = lived_case
    assert engine.verify(case.id).ok
    with engine.db.begin() as conn:
        row = conn.execute(select(deployments.c.id, deployments.c.files)).first()
        assert 'name="Diagnose' in row.files or "Diagnose" in row.files
        conn.execute(update(deployments).where(deployments.c.id == row.id)
                     .values(files=row.files.replace("Diagnose", "Diagnoze")))
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq is not None, verdict.problems
    assert "het opgeslagen model van intake versie 1" in verdict.problems[0], verdict.problems
    assert "is gewijzigd" in verdict.problems[0]


def test_an_instance_pointed_at_a_version_with_another_model_is_named_at_its_start(lived_case):  # noqa: F811
    """Even with every hash in the models table made consistent, the start event recorded which
    model the instance began on."""
    from engine.storage.db import process_versions
    engine, case = lived_case
    rows = _rows(engine, case.id)
    start = next(r for r in rows if r["kind"] == "instance_started")
    with engine.db.begin() as conn:
        conn.execute(update(process_versions).values(content_hash="a" * 64))
    verdict = engine.verify(case.id)
    assert verdict.first_bad_seq == start["seq"], verdict.problems
    assert "model-hash" in verdict.problems[0], verdict.problems

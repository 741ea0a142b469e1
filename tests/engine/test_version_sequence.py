"""Versions a person can read (issue 20, item 8): one version sequence per process over all gemeenten,
a new version only for a process whose own content changed, and versions that can be deactivated
(no new cases) and activated again (rolled back to). On SQLite and PostgreSQL (``db`` fixture)."""
from __future__ import annotations

from datetime import date

import pytest

from engine.errors import ConflictError, NotFound
from engine.models.process_digest import process_digests
from engine.models.versions import latest_version, set_active
from processes.catalogue import bundles
from tests.engine.helpers import BSN, START, make_engine, model_files, only_task, start_intake


def _changed_intake() -> dict[str, bytes]:
    files = model_files("intake.bpmn", "evaluatie.bpmn")
    files["intake.bpmn"] = files["intake.bpmn"].replace(b"Plan van aanpak opstellen", b"Plan opstellen v2")
    return files


def test_a_gemeente_version_continues_the_shared_sequence(db):
    """"Versie 2 (Ooststellingwerf)" next to "Versie 1 (alle gemeenten)", never two versions 1."""
    engine = make_engine(db)  # intake 1 and evaluatie 1, shared
    own = engine.deploy(_changed_intake(), gemeente="ooststellingwerf")
    assert [(v.process_id, v.gemeente, v.version) for v in own.new] == [("intake", "ooststellingwerf", 2)]
    shared_again = engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn") | {
        "intake.bpmn": _changed_intake()["intake.bpmn"].replace(b"v2", b"v3")})
    assert [(v.process_id, v.gemeente, v.version) for v in shared_again.new] == [("intake", "*", 3)]


def test_only_the_changed_process_of_a_bundle_gets_a_new_version(db):
    engine = make_engine(db)
    result = engine.deploy(_changed_intake())
    assert result.created
    assert [(v.process_id, v.version) for v in result.new] == [("intake", 2)]
    assert result.kept == ("evaluatie",)
    assert sorted((v.process_id, v.version) for v in result.versions) == [("evaluatie", 1), ("intake", 2)]
    assert result.summary() == "nieuwe versie: intake versie 2; ongewijzigd gebleven: evaluatie (versie 1)"
    with db.connect() as conn:  # evaluatie still starts on its first version, from its first deployment
        assert latest_version(conn, "evaluatie", "ooststellingwerf").version == 1


def test_a_bundle_whose_processes_did_not_change_makes_no_version(db):
    engine = make_engine(db)
    # another file order and an unrelated form: the bundle hash differs, no process's content does
    files = dict(reversed(list(model_files("intake.bpmn", "evaluatie.bpmn").items())))
    files["forms/ongebruikt.json"] = b'{"properties": {}}'
    result = engine.deploy(files)
    assert result.created is False and result.new == []
    assert sorted(result.kept) == ["evaluatie", "intake"]


def test_what_counts_as_a_process_s_own_content():
    """Its process element, its diagram plane, the forms it names and the bundle's DMN files; not another
    process's changes (the bundled participatiewet models, ../bpmn/processes/participatiewet)."""
    bundle = next(b for b in bundles() if b.name == "participatiewet")
    before = process_digests(bundle.files)
    form = next(n for n in bundle.files if n.endswith("bw-verzoek.json"))
    after = process_digests(bundle.files | {form: bundle.files[form].replace(b"{", b'{"x-test": 1, ', 1)})
    assert {p for p in before if before[p] != after[p]} == {"beschut_werk"}
    plus_dmn = process_digests(bundle.files | {"extra.dmn": b"<definitions/>"})
    # any business rule task may call a DMN of the bundle
    assert all(before[p] != plus_dmn[p] for p in before)
    moved = dict(bundle.files)
    moved["evaluatie.bpmn"] = moved["evaluatie.bpmn"].replace(b'<dc:Bounds x="', b'<dc:Bounds x="1', 1)
    assert process_digests(moved)["evaluatie"] != before["evaluatie"]  # its own diagram moved


def test_a_deactivated_version_takes_no_new_cases_but_its_running_case_continues(db):
    engine = make_engine(db)
    running, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})  # on version 1
    engine.deploy(_changed_intake())
    with db.begin() as conn:
        v2 = latest_version(conn, "intake", "ooststellingwerf")
        assert v2.version == 2
        off = set_active(conn, v2.id, False, "ontwerper1", "fout in de taaknaam", START)
        assert off.active is False
        with pytest.raises(ConflictError, match="al gedeactiveerd"):
            set_active(conn, v2.id, False, "ontwerper1", "nogmaals", START)
    new_case, _ = engine.start_case("ooststellingwerf", BSN, "Piet", "intake",
                                    {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, new_case.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, new_case.id).title == "Plan van aanpak opstellen"  # version 1
    engine.complete(only_task(engine, running.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, running.id).title == "Plan van aanpak opstellen"
    with db.begin() as conn:  # rolled back to: active again, new cases start on version 2
        assert set_active(conn, v2.id, True, "ontwerper1", "hersteld", START).active
    again, _ = engine.start_case("ooststellingwerf", BSN, "Kees", "intake", {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, again.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, again.id).title == "Plan opstellen v2"


def test_redeploying_a_deactivated_version_s_content_makes_a_new_version(db):
    engine = make_engine(db)
    with db.begin() as conn:
        v1 = latest_version(conn, "evaluatie", "*")
    engine.deploy(model_files("evaluatie.bpmn") | {"evaluatie.bpmn": model_files("evaluatie.bpmn")[
        "evaluatie.bpmn"].replace(b"Evaluatiegesprek voeren", b"Gesprek")})
    with db.begin() as conn:
        v2 = latest_version(conn, "evaluatie", "*")
        set_active(conn, v2.id, False, "ontwerper1", "terug naar 1", START)
        assert latest_version(conn, "evaluatie", "*").id == v1.id
        set_active(conn, v1.id, False, "ontwerper1", "geen enkele", START)
        with pytest.raises(NotFound, match="gedeactiveerd"):
            latest_version(conn, "evaluatie", "*")
    result = engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"))  # the first bundle again
    assert [(v.process_id, v.version) for v in result.new] == [("evaluatie", 3)]


def test_two_gemeenten_deploying_one_process_at_once_get_different_numbers(db):
    """On PostgreSQL the second deploy waits for the first to commit before it takes its number."""
    import threading

    from engine.models import versions

    if db.dialect.name != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    make_engine(db)
    files = {gemeente: model_files("intake.bpmn") | {"intake.bpmn": model_files("intake.bpmn")[
        "intake.bpmn"].replace(b"Plan van aanpak opstellen", f"Plan ({gemeente})".encode())}
        for gemeente in ("woerden", "apeldoorn")}
    first_conn = db.connect()
    first_tx = first_conn.begin()
    first = versions.deploy(first_conn, files["woerden"], "woerden", "a", START)
    answers = {}

    def second() -> None:
        with db.begin() as conn:
            answers["apeldoorn"] = versions.deploy(conn, files["apeldoorn"], "apeldoorn", "b", START)

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=1.5)
    assert thread.is_alive()  # waiting for the first deploy's number to be committed
    first_tx.commit()
    first_conn.close()
    thread.join(timeout=20)
    assert [v.version for v in first.new] == [2]
    assert [v.version for v in answers["apeldoorn"].new] == [3]

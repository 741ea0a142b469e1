"""Process versions are immutable; a running case stays on the version it started with."""
from __future__ import annotations

from datetime import date

from tests.engine.helpers import BSN, make_engine, model_files, only_task, start_intake


def test_deploying_the_same_bundle_twice_gives_one_version(db):
    engine = make_engine(db)
    again = engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    assert again.created is False
    assert sorted((v.process_id, v.version) for v in again.versions) == [("evaluatie", 1), ("intake", 1)]


def test_a_running_case_stays_on_its_version(db):
    engine = make_engine(db)
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    changed = model_files("intake.bpmn")
    changed["intake.bpmn"] = changed["intake.bpmn"].replace(b"Plan van aanpak opstellen",
                                                            b"Plan opstellen v2")
    result = engine.deploy(changed)
    assert result.created and [(v.process_id, v.version) for v in result.versions] == [("intake", 2)]
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"
    new_case, _ = engine.start_case("ooststellingwerf", "999990020", "Piet", "intake",
                                    {"peildatum": date(2026, 1, 31)})
    engine.complete(only_task(engine, new_case.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, new_case.id).title == "Plan opstellen v2"


def test_a_gemeente_version_beats_the_shared_one(db):
    engine = make_engine(db)
    own = model_files("evaluatie.bpmn")
    own["evaluatie.bpmn"] = own["evaluatie.bpmn"].replace(b"Evaluatiegesprek voeren", b"Apeldoorns gesprek")
    engine.deploy(own, gemeente="apeldoorn")
    a, _ = engine.start_case("apeldoorn", BSN, "Jan", "evaluatie", {})
    o, _ = engine.start_case("ooststellingwerf", BSN, "Jan", "evaluatie", {})
    assert only_task(engine, a.id).title == "Apeldoorns gesprek"
    assert only_task(engine, o.id).title == "Evaluatiegesprek voeren"


def test_the_processes_of_one_bundle_are_parsed_from_one_parse_of_it(db, monkeypatch):
    """Cold start of a worker or `trede verify --jobs N`: a bundle is parsed and validated as a
    whole, so every process of it must come from that one parse, not one parse per process."""
    from engine.models import versions

    engine = make_engine(db)
    engine.specs = versions.SpecCache()  # cold, as in a new process
    parses = []
    real = versions.parse_bundle
    monkeypatch.setattr(versions, "parse_bundle",
                        lambda files, **kw: parses.append(sorted(files)) or real(files, **kw))
    case, _ = start_intake(engine, {"peildatum": date(2026, 1, 31)})
    engine.start_case("ooststellingwerf", BSN, "Jan", "evaluatie", {})
    engine.complete(only_task(engine, case.id).task_id, {"trede": 4}, actor="cm1")
    assert only_task(engine, case.id).title == "Plan van aanpak opstellen"
    assert parses == [["evaluatie.bpmn", "intake.bpmn"]]

"""A case whose business rule task calls a decision of a decision requirements diagram, deployed and
run by the engine on SQLite and PostgreSQL: the case data carries the answer and the record of every
decision taken for it, and `verify` replays the case to the same answer (issue 21 item 3).

Leerwerkplek fee, seed 002 (Ooststellingwerf) art. 8: trede 4, 12 hours a week in a trajectory of
32 hours: EUR 50 a month ("minder dan vijftien uur per week")."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from processes.decisions import DecisionService
from tests.dmn.drd import bundle
from tests.engine.helpers import BSN, make_engine, only_task

PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "dmn" / "pack-drd"


def test_a_case_runs_the_diagram_and_replays(db):
    engine = make_engine(db)
    engine.deploy(bundle())
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan", "leerwerkplek",
                                {"trede": 4, "urenLeerwerkplek": 12, "urenAanvullend": 20})
    data = engine.task_data(only_task(engine, case.id).task_id)
    assert data["vergoeding"] == 50
    record = data["beslissing_LeerwerkplekVergoeding"]
    assert [(entry["beslissing"], entry["waarde"]) for entry in record["vereist"]] == [
        ("Doelgroep leerwerkplek", True), ("Totaal traject uren", Decimal(32))]
    assert "Vereiste beslissingen" in record["uitleg"]
    assert engine.verify(case.id).ok


def test_a_case_asks_a_rule_pack_diagram_and_replays(db):
    """The same task without a DMN file in the bundle asks the rule packs; the Ooststellingwerf pack
    holds the fee as a diagram of two Python tables (tests/fixtures/dmn/pack-drd, seed 002 art. 8)."""
    engine = make_engine(db, decisions=DecisionService(PACKS))
    engine.deploy({"leerwerkplek.bpmn": bundle()["leerwerkplek.bpmn"]})
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan", "leerwerkplek",
                                {"trede": 3, "urenLeerwerkplek": 20, "urenTotaalTraject": 30,
                                 "aanvraagdatum": "2024-01-01"})
    data = engine.task_data(only_task(engine, case.id).task_id)
    assert data["vergoedingPerMaand"] == 100
    trace = data["beslissing_LeerwerkplekVergoeding"]
    assert trace["vereist"][0]["beslissing"] == "LeerwerkplekDoelgroep"
    assert trace["vereist"][0]["outputs"] == {"doelgroep": True}
    assert engine.verify(case.id).ok

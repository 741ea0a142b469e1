"""How a decision is called (contract: "How a decision is called"), independent of one policy rule."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from processes.decisions import DecisionError, DecisionService
from processes.decisions.errors import UnknownDecision
from processes.decisions.model import PackError

DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions expressionLanguage="https://www.python.org/"
    xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="urn:t">
  <decision id="Premie" name="Premie">
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="i1"><inputExpression id="e1" typeRef="boolean"><text>ok</text></inputExpression></input>
      <output id="o1" name="bedrag" typeRef="money"/>
      <rule id="r_ja"><description>ja</description>
        <inputEntry id="a1"><text>True</text></inputEntry>
        <outputEntry id="b1"><text>{amount}</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


def _pack(root, gemeente, versions, tables, adopts=()):
    folder = root / gemeente
    folder.mkdir(parents=True)
    manifest = {
        "gemeente": gemeente,
        "versions": [{"geldig_vanaf": v} for v in versions],
        "adopts": list(adopts),
    }
    (folder / "pack.json").write_text(json.dumps(manifest))
    for version, amount in tables.items():
        (folder / version).mkdir()
        (folder / version / "Premie.dmn").write_text(DMN.format(amount=amount))


@pytest.fixture
def versioned(tmp_path):
    _pack(tmp_path, "a", ["2020-01-01", "2024-01-01"], {"2020-01-01": "100", "2024-01-01": "150.5"})
    _pack(tmp_path, "b", ["2022-06-01"], {}, [{"decision": "Premie", "from": "a", "version": "2020-01-01"}])
    return DecisionService(tmp_path)


def test_on_picks_the_version_in_force(versioned):
    assert versioned.decide("Premie", "a", {"ok": True}, date(2023, 12, 31)).outputs == {
        "bedrag": Decimal("100.00")
    }
    result = versioned.decide("Premie", "a", {"ok": True}, date(2024, 1, 1))  # the day the new version starts
    assert result.outputs_json() == {"bedrag": 150.5}
    assert result.version == date(2024, 1, 1)
    assert result.rules_fired == ["r_ja: ja"]


def test_before_the_first_version_no_rules_are_in_force(versioned):
    with pytest.raises(DecisionError, match="geen regels van kracht op 2019-12-31"):
        versioned.decide("Premie", "a", {"ok": True}, date(2019, 12, 31))


def test_adopted_decision_is_pinned_to_the_source_version_from_the_adopters_date(versioned):
    result = versioned.decide("Premie", "b", {"ok": True}, date(2025, 1, 1))
    assert result.outputs_json() == {"bedrag": 100}  # pinned to a's 2020 version, not a's 2024 one
    assert result.adopted_from == "a" and result.version == date(2022, 6, 1)
    with pytest.raises(DecisionError, match="geen regels van kracht op 2022-05-31"):
        versioned.decide("Premie", "b", {"ok": True}, date(2022, 5, 31))


def test_undeclared_version_directory_is_a_pack_error(tmp_path):
    _pack(tmp_path, "a", ["2020-01-01"], {"2020-01-01": "1"})
    (tmp_path / "a" / "2021-01-01").mkdir()
    with pytest.raises(PackError, match="not declared"):
        DecisionService(tmp_path)


def test_adopting_a_version_that_does_not_exist_is_a_pack_error(tmp_path):
    _pack(tmp_path, "a", ["2020-01-01"], {"2020-01-01": "1"})
    _pack(tmp_path, "b", ["2020-01-01"], {}, [{"decision": "Premie", "from": "a", "version": "2019-01-01"}])
    with pytest.raises(PackError, match="does not define"):
        DecisionService(tmp_path)


@pytest.mark.parametrize(
    ("decision_id", "gemeente", "inputs", "message"),
    [
        ("Onbekend", "ooststellingwerf", {}, "onbekende beslissing 'Onbekend'"),
        ("LadderSpoor", "amsterdam", {}, "onbekende gemeente 'amsterdam'"),
        ("ToegangDoelgroep", "woerden", {}, "onbekend voor gemeente 'woerden'"),
        ("LadderSpoor", "ooststellingwerf", {"treede": 2}, "onbekende invoer voor LadderSpoor: treede"),
        ("LadderSpoor", "ooststellingwerf", {"trede": "2"}, "invoer 'trede' moet een geheel getal zijn"),
        ("LadderSpoor", "ooststellingwerf", {"trede": 2.5}, "geheel getal"),
        ("LadderSpoor", "ooststellingwerf", {"trede": True}, "geheel getal"),
        ("ParticipatieplaatsPremie", "ooststellingwerf", {"voldoendeInzet": "ja"}, "waar of onwaar"),
        ("Looptijd", "ooststellingwerf", {"startdatum": "01-02-2024"}, "JJJJ-MM-DD"),
        ("Looptijd", "ooststellingwerf", {"startdatum": "2024-02-30"}, "JJJJ-MM-DD"),
        ("ToegangDoelgroep", "ooststellingwerf", {"doelgroep": "wajong"}, "moet een van"),
        ("LeerwerkplekVergoeding", "ooststellingwerf", {"urenLeerwerkplek": [20]}, "niet de lijst"),
    ],
)
def test_bad_requests_raise_a_decision_error_naming_the_problem(
    service, decision_id, gemeente, inputs, message
):
    with pytest.raises(DecisionError) as caught:
        service.decide(decision_id, gemeente, inputs, date(2024, 6, 1))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_decision_is_its_own_error_class_for_a_404(service):
    with pytest.raises(UnknownDecision):
        service.decide("Onbekend", "ooststellingwerf", {})


def test_explicit_null_counts_as_left_out(decide):
    assert decide("ParticipatieplaatsPremie", voldoendeInzet=None) == {"bedrag": 0}  # default false


def test_no_rule_matching_means_every_output_null(decide):
    # trede 7 is not on the ladder: the table cannot decide
    assert decide("LadderSpoor", trede=7) == {"begeleidingsspoor": None, "verantwoordelijkeRol": None}
    assert decide("LadderSpoor") == {"begeleidingsspoor": None, "verantwoordelijkeRol": None}


def test_collect_with_nothing_matching_prints_empty_lists(decide):
    assert decide("InstrumentGeschiktheid", "apeldoorn", trede=1, leeftijd=30) == {
        "instrument": [],
        "maxDuurMaanden": [],
    }


def test_inputs_after_defaults_are_recorded(service):
    result = service.decide("JobcoachSubsidie", "ooststellingwerf", {"context": "regulier"}, date(2024, 6, 1))
    assert result.inputs["maandenInSubsidiejaar"] == 12 and result.inputs["lksDoelgroep"] is False
    assert result.inputs["urenPerWeek"] is None


def test_evaluate_in_case_uses_the_application_date_and_records_the_rule(service):
    data = {"trede": 4, "aanvraagdatum": "2023-07-01", "naam": "ignored"}
    merged = service.evaluate_in_case("LadderSpoor", data, "ooststellingwerf", today=date(2030, 1, 1))
    assert merged["begeleidingsspoor"] == "re-integratiebegeleiding"
    trace = merged["beslissing_LadderSpoor"]
    assert trace["peildatum"] == "2023-07-01" and trace["versie"] == "2023-07-01"
    assert (
        trace["regel"]["id"] == "r2_reintegratie"
        and "Treden 3 tot en met 6" in trace["regel"]["omschrijving"]
    )
    assert trace["inputs"] == {"trede": 4} and trace["gemeente"] == "ooststellingwerf"
    json.dumps(merged)  # task data must stay JSON


def test_evaluate_in_case_before_the_rules_existed_is_refused(service):
    # an application from before 1 July 2023 is not judged by the 2024 beleidsregels
    with pytest.raises(DecisionError, match="geen regels van kracht op 2023-06-30"):
        service.evaluate_in_case(
            "LadderSpoor",
            {"trede": 1, "ontvangstAanvraag": "2023-06-30"},
            "ooststellingwerf",
            today=date(2024, 1, 1),
        )


def test_evaluate_in_case_falls_back_to_today_and_makes_money_and_dates_json(service):
    data = {"startWerkplek": "2024-01-31", "ontvangstAanvraag": "2024-02-01"}
    merged = service.evaluate_in_case("LksTermijnen", data, "ooststellingwerf", today=date(2024, 3, 1))
    assert (
        merged["beslissing_LksTermijnen"]["peildatum"] == "2024-02-01"
    )  # ontvangstAanvraag is the reference
    assert merged["loonwaardemetingUiterlijk"] == "2024-07-31"
    merged = service.evaluate_in_case(
        "ParticipatieplaatsPremie", {"voldoendeInzet": True}, "ooststellingwerf", today=date(2024, 3, 1)
    )
    assert (
        merged["bedrag"] == 100 and merged["beslissing_ParticipatieplaatsPremie"]["peildatum"] == "2024-03-01"
    )


def test_evaluate_request_is_the_rest_body(service):
    body = {"gemeente": "woerden", "input": {"trede": 3}, "on": "2020-01-01"}
    assert service.evaluate_request("LadderSpoor", body) == {
        "begeleidingsspoor": "re-integratiebegeleiding",
        "verantwoordelijkeRol": "casemanager werk",
    }
    with pytest.raises(DecisionError, match="gemeente"):
        service.evaluate_request("LadderSpoor", {"input": {}})
    with pytest.raises(DecisionError, match="JJJJ-MM-DD"):
        service.evaluate_request("LadderSpoor", {"gemeente": "woerden", "on": "gisteren"})
    with pytest.raises(DecisionError, match="unknown field"):
        service.evaluate_request("LadderSpoor", {"gemeente": "woerden", "inputs": {}})

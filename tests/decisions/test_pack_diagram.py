"""A rule pack file may be a decision requirements diagram (issue 21 item 3): several decision tables
in one file, one requiring another whose output is its input. Each decision id resolves to the
file; `trede decide`, the service and a business rule task evaluate the asked decision with every
decision it requires, those first, and the record says what each gave and why.

The pack (tests/fixtures/dmn/pack-drd) is the leerwerkplek fee of seed 002 (Ooststellingwerf) art. 8:
"personen die op trede 3 en 4 van de Participatieladder staan"; EUR 100 a month at fifteen hours a
week or more, EUR 50 below, when the whole trajectory is 30 hours a week (AMB-10: at least 30)."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.decide import command as decide
from processes.decisions import DecisionService
from processes.decisions.errors import DecisionError
from processes.decisions.model import PackError

PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "dmn" / "pack-drd"
FILE = PACKS / "ooststellingwerf" / "2023-07-01" / "Leerwerkplek.dmn"
ON = date(2024, 1, 1)


def _service() -> DecisionService:
    return DecisionService(PACKS)


@pytest.mark.parametrize("trede, uren, traject, vergoeding", [
    (3, 12, 32, 50),  # minder dan vijftien uur per week
    (4, 20, 30, 100),  # vijftien uur of meer, traject van precies 30 uur (AMB-10)
    (4, 20, 25, 0),  # traject korter dan 30 uur
    (5, 20, 40, 0),  # trede 5 is niet de doelgroep
])
def test_decide_evaluates_the_required_decision_first(trede, uren, traject, vergoeding):
    result = _service().decide("LeerwerkplekVergoeding", "ooststellingwerf",
                               {"trede": trede, "urenLeerwerkplek": uren, "urenTotaalTraject": traject}, ON)
    assert result.outputs_json() == {"vergoedingPerMaand": vergoeding}
    [required] = result.required
    assert required["beslissing"] == "LeerwerkplekDoelgroep"
    assert required["outputs"] == {"doelgroep": trede in (3, 4)}


def test_each_decision_of_the_file_resolves_and_the_caller_gives_only_the_diagrams_inputs():
    service = _service()
    assert service.decide("LeerwerkplekDoelgroep", "ooststellingwerf", {"trede": 2}, ON).outputs_json() == \
        {"doelgroep": False}
    with pytest.raises(DecisionError, match="onbekende invoer.*doelgroep"):
        service.decide("LeerwerkplekVergoeding", "ooststellingwerf", {"doelgroep": True}, ON)
    [top] = [entry for entry in service.catalogue() if entry["id"] == "LeerwerkplekVergoeding"]
    assert [i["name"] for i in top["inputs"]] == ["trede", "urenLeerwerkplek", "urenTotaalTraject"]
    assert top["requires"] == ["LeerwerkplekDoelgroep"]
    assert top["versions"][0]["file"] == "ooststellingwerf/2023-07-01/Leerwerkplek.dmn"


def test_the_record_in_a_case_says_what_the_required_decision_gave_and_why():
    merged = _service().evaluate_in_case(
        "LeerwerkplekVergoeding", {"trede": 5, "urenLeerwerkplek": 12, "urenTotaalTraject": 32},
        "ooststellingwerf", ON)
    trace = merged["beslissing_LeerwerkplekVergoeding"]
    assert trace["gebruikt"] == ["v1_geen_doelgroep"]
    assert trace["vereist"][0]["gebruikt"] == ["d2_andere_trede"]
    assert trace["uitleg"] == (
        "FIRST: regel v1_geen_doelgroep is van toepassing; uitkomst van v1_geen_doelgroep (de eerste "
        "regel die van toepassing is). Vereiste beslissingen, in de volgorde waarin ze zijn genomen: "
        "Doelgroep leerwerkplek (doelgroep = false: FIRST: regel d2_andere_trede is van toepassing; "
        "uitkomst van d2_andere_trede (de eerste regel die van toepassing is).).")


def test_trede_decide_answers_from_a_diagram_and_explains_on_request():
    inputs = json.dumps({"trede": 3, "urenLeerwerkplek": 12, "urenTotaalTraject": 32})
    result = CliRunner().invoke(decide, ["LeerwerkplekVergoeding", "--gemeente", "ooststellingwerf",
                                         "--input", inputs, "--on", "2024-01-01", "--rules", str(PACKS),
                                         "--uitleg"])
    assert result.exit_code == 0, result.output
    answer, why = result.output.strip().splitlines()
    assert json.loads(answer) == {"vergoedingPerMaand": 50}
    assert "Doelgroep leerwerkplek (doelgroep = true: FIRST: regel d1_trede_3_4" in why


def _pack_with(tmp_path: Path, text: str) -> Path:
    shutil.copytree(PACKS, tmp_path / "packs")
    (tmp_path / "packs" / "ooststellingwerf" / "2023-07-01" / "Leerwerkplek.dmn").write_text(text)
    return tmp_path / "packs"


def test_decisions_that_require_each_other_are_refused_naming_them(tmp_path):
    text = FILE.read_text().replace(
        '<decisionTable id="LeerwerkplekDoelgroep_table"',
        '<informationRequirement><requiredDecision href="#LeerwerkplekVergoeding"/></informationRequirement>'
        '<decisionTable id="LeerwerkplekDoelgroep_table"')
    circle = "Doelgroep leerwerkplek -> Begeleidingsvergoeding leerwerkplek -> Doelgroep leerwerkplek"
    with pytest.raises(PackError, match=f"beslissingen vereisen elkaar in een kring: {circle}"):
        DecisionService(_pack_with(tmp_path, text))


def test_a_required_decision_whose_output_is_not_read_is_refused(tmp_path):
    text = FILE.read_text().replace("<text>doelgroep</text>", "<text>inDoelgroep</text>")
    with pytest.raises(PackError, match="vereist 'LeerwerkplekDoelgroep', maar leest geen van diens "
                                        r"uitkomsten \(doelgroep\) als invoer"):
        DecisionService(_pack_with(tmp_path, text))


def test_a_default_output_in_a_pack_table_is_refused(tmp_path):
    text = FILE.read_text().replace('typeRef="boolean"/>', 'typeRef="boolean"><defaultOutputEntry><text>False'
                                    "</text></defaultOutputEntry></output>", 1)
    with pytest.raises(PackError, match="defaultOutputEntry, which rule pack tables do not use"):
        DecisionService(_pack_with(tmp_path, text))

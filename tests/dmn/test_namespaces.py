"""DMN 1.1 to 1.5 are read alike; a namespace trede does not know is explained (issue 21 item 7:
`trede decide` refused DMN 1.4/1.5 with "expected exactly one decision, found 0")."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from engine.dmn.namespaces import VERSIONS
from processes.decisions import DecisionService
from processes.decisions.model import PackError
from tests.dmn.helpers import problems, run, table

RULES = Path(__file__).resolve().parents[2] / "bpmn" / "rules"
DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"


@pytest.mark.parametrize("namespace", list(VERSIONS))
def test_a_table_in_every_dmn_version_validates_and_runs(namespace):
    dmn = table([("&lt; 18", "0"), ("&gt;= 18", "100")], "UNIQUE", namespace=namespace)
    assert problems(dmn) == []
    assert run(dmn, {"leeftijd": 30})["bedrag"] == 100


def test_an_unknown_dmn_namespace_is_explained_with_the_versions_that_are_read():
    [message] = problems(table([("&lt; 18", "0")], namespace="https://www.omg.org/spec/DMN/20991231/MODEL/"))
    assert "onbekende DMN-namespace 'https://www.omg.org/spec/DMN/20991231/MODEL/'" in message
    assert "DMN 1.5: https://www.omg.org/spec/DMN/20230324/MODEL/" in message


def test_a_namespace_with_the_wrong_scheme_gets_a_suggestion():
    [message] = problems(table([("&lt; 18", "0")], namespace="http://www.omg.org/spec/DMN/20230324/MODEL/"))
    assert "Bedoelt u https://www.omg.org/spec/DMN/20230324/MODEL/?" in message


def _pack_in(namespace: str, tmp_path: Path) -> Path:
    """The Woerden pack with Ooststellingwerf's LadderSpoor, rewritten into ``namespace``."""
    pack = tmp_path / "ooststellingwerf"
    (pack / "2023-07-01").mkdir(parents=True)
    shutil.copy(RULES / "ooststellingwerf" / "pack.json", pack / "pack.json")
    meta = json.loads((pack / "pack.json").read_text())
    meta["versions"] = [v for v in meta["versions"] if v["geldig_vanaf"] == "2023-07-01"]
    meta.pop("adopts", None)
    (pack / "pack.json").write_text(json.dumps(meta))
    text = (RULES / "ooststellingwerf" / "2023-07-01" / "LadderSpoor.dmn").read_text()
    (pack / "2023-07-01" / "LadderSpoor.dmn").write_text(text.replace(DMN13, namespace))
    return tmp_path


@pytest.mark.parametrize("namespace", ["https://www.omg.org/spec/DMN/20211108/MODEL/",
                                       "https://www.omg.org/spec/DMN/20230324/MODEL/"])
def test_decide_answers_from_a_dmn_14_and_15_rule_pack(namespace, tmp_path):
    service = DecisionService(_pack_in(namespace, tmp_path))
    result = service.decide("LadderSpoor", "ooststellingwerf", {"trede": 4}, date(2024, 1, 1))
    assert result.outputs_json()["begeleidingsspoor"] == "re-integratiebegeleiding"


def test_a_rule_pack_in_an_unknown_namespace_is_refused_naming_it(tmp_path):
    with pytest.raises(PackError, match="onbekende DMN-namespace 'urn:dmn:9'"):
        DecisionService(_pack_in("urn:dmn:9", tmp_path))


def test_a_namespace_one_typing_error_away_gets_a_suggestion():
    [message] = problems(table([("&lt; 18", "0")], namespace="https://www.omg.org/spec/DNM/20191111/MODEL/"))
    assert message.startswith("onbekende DMN-namespace 'https://www.omg.org/spec/DNM/20191111/MODEL/'")
    assert message.endswith("Bedoelt u https://www.omg.org/spec/DMN/20191111/MODEL/?")


def test_a_dmn_file_without_a_namespace_is_explained():
    text = table([("&lt; 18", "0")]).replace(f'xmlns="{DMN13}" ', "")
    [message] = problems(text)
    assert message.startswith("DMN-document zonder namespace: trede leest DMN 1.1 tot en met 1.5")


def _validate(tmp_path: Path, namespace: str):
    from click.testing import CliRunner

    from cli.validate import command as validate
    (tmp_path / "tabel.dmn").write_text(table([("&lt; 18", "0"), ("&gt;= 18", "100")], namespace=namespace))
    return CliRunner().invoke(validate, [str(tmp_path / "tabel.dmn")])


@pytest.mark.parametrize("namespace", list(VERSIONS), ids=list(VERSIONS.values()))
def test_trede_validate_accepts_dmn_11_to_15(namespace, tmp_path):
    result = _validate(tmp_path, namespace)
    assert result.exit_code == 0, result.output
    assert "OK: 1 bestand, 0 processen, 1 beslissing" in result.output


def test_trede_validate_names_an_unknown_namespace_and_the_ones_it_reads(tmp_path):
    result = _validate(tmp_path, "https://www.omg.org/spec/DMN/20240513/MODEL/")
    assert result.exit_code == 2
    line = result.output.splitlines()[0]
    assert line.startswith(f"{tmp_path / 'tabel.dmn'}:2: onbekende DMN-namespace "
                           "'https://www.omg.org/spec/DMN/20240513/MODEL/': "
                           "trede leest DMN 1.1 tot en met 1.5")
    for uri, version in VERSIONS.items():
        assert f"DMN {version}: {uri}" in line

"""The three commands as a user runs them: real subprocesses of the installed `trede` script."""

from __future__ import annotations

import json

import pytest

from tests.decisions.conftest import trede, trede_json


def test_decide_prints_one_json_object():
    out = trede_json(
        "decide",
        "UitstroompremieMoment",
        "--gemeente",
        "ooststellingwerf",
        "--input",
        '{"indiensttreding": "2024-01-15", "aanvraagdatum": "2024-07-15", "premieNummer": 1, '
        '"aantalUitbetaald": 0}',
        "--on",
        "2024-07-15",
    )
    assert out == {"uitkomst": "toekennen", "bedrag": 600, "werkmaand": 7}


def test_decide_money_is_a_json_number_in_euro():
    result = trede(
        "decide",
        "JobcoachSubsidie",
        "--gemeente",
        "ooststellingwerf",
        "--input",
        '{"context": "regulier", "subsidiejaar": 2, "maandenInSubsidiejaar": 7, "urenPerWeek": 12, '
        '"lksDoelgroep": true}',
    )
    assert result.returncode == 0
    assert '"bedrag": 933.33' in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["decide", "Bestaatniet", "--gemeente", "ooststellingwerf"], "onbekende beslissing 'Bestaatniet'"),
        (["decide", "LadderSpoor", "--gemeente", "utrecht"], "onbekende gemeente 'utrecht'"),
        (["decide", "Looptijd", "--gemeente", "woerden"], "onbekend voor gemeente 'woerden'"),
        (["decide", "LadderSpoor", "--gemeente", "woerden", "--input", '{"trede": "twee"}'],
         "invoer 'trede'"),
        (["decide", "LadderSpoor", "--gemeente", "woerden", "--input", '{"tree": 2}'], "onbekende invoer"),
        (["decide", "LadderSpoor", "--gemeente", "woerden", "--input", "{trede: 2}"], "geen geldige JSON"),
        (["decide", "LadderSpoor", "--gemeente", "woerden", "--input", "[2]"], "JSON-object"),
        (
            ["decide", "LadderSpoor", "--gemeente", "woerden", "--on", "2013-05-22"],
            "geen regels van kracht op 2013-05-22",
        ),
        (["decide", "LadderSpoor", "--gemeente", "woerden", "--on", "23-05-2013"], "JJJJ-MM-DD"),
    ],
)
def test_decide_user_errors_exit_2_with_one_line(args, message):
    result = trede(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.stderr


def test_decisions_json_lists_every_decision_with_versions():
    catalogue = trede_json("decisions", "--json")
    assert len(catalogue) == 19
    ladder = catalogue[0]
    assert ladder["id"] == "LadderSpoor"
    assert ladder["inputs"] == [{"name": "trede", "type": "integer", "default": None}]
    woerden = next(v for v in ladder["versions"] if v["gemeente"] == "woerden")
    assert woerden["geldigVanaf"] == "2013-05-23"
    assert woerden["adoptedFrom"] == {"gemeente": "ooststellingwerf", "geldigVanaf": "2023-07-01"}
    jobcoach = next(d for d in catalogue if d["id"] == "JobcoachSubsidie")
    assert {"name": "maandenInSubsidiejaar", "type": "number", "default": 12} in jobcoach["inputs"]
    json.dumps(catalogue)


def test_bsn_check_subprocess():
    assert trede("bsn", "check", "111222333").stdout.strip() == "valid"
    result = trede("bsn", "check", "000000000")
    assert result.returncode == 1 and result.stdout.startswith("invalid: ")

"""Validating .bpmn/.dmn bundles: safe XML first, then schema, sandboxed code and executability."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.validate import command as validate_command
from engine.models.validation import (
    MAX_MODEL_BYTES,
    BundleInvalid,
    Problem,
    parse_bundle,
    read_model_files,
    validate_bundle,
)

ROOT = Path(__file__).resolve().parents[1]
MODELS = Path(__file__).parent / "models"
HOSTILE = MODELS / "hostile"
MIWG = Path(__file__).parent / "fixtures" / "miwg"  # vendored, CC BY 3.0 (its README.md)


def _files(*paths: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths}


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line and not line.lstrip().startswith("<!--"):
            return number
    raise AssertionError(f"{needle!r} not in {path}")


GOOD = (MODELS / "aanvraag.bpmn", MODELS / "ladder.dmn")


# --- a good bundle --------------------------------------------------------------------------------


def test_good_bundle_parses_with_its_processes_and_decisions():
    bundle = parse_bundle(_files(*GOOD))
    assert bundle.process_ids == ["aanvraag"]
    assert bundle.decision_ids == ["LadderSpoorTest"]
    spec, subprocesses = bundle.get_spec("aanvraag")
    assert {"Bereken", "Spoor", "Keuze", "Melden", "Wacht"} <= set(spec.task_specs)
    assert subprocesses == {}
    assert validate_bundle(_files(*GOOD)) == []


def test_get_spec_of_an_unknown_process_names_the_known_ones():
    bundle = parse_bundle(_files(*GOOD))
    with pytest.raises(KeyError, match="'nope' zit niet in deze bundel .*aanvraag"):
        bundle.get_spec("nope")


def test_decision_outside_the_bundle_is_left_to_the_runtime():
    # The gemeente's rule pack supplies LadderSpoorTest at run time; the model alone is fine.
    bundle = parse_bundle(_files(MODELS / "aanvraag.bpmn"))
    assert bundle.decision_ids == []
    spec, _ = bundle.get_spec("aanvraag")
    assert "Spoor" in spec.task_specs


def test_business_rule_task_without_a_decision_is_a_problem():
    text = (MODELS / "aanvraag.bpmn").read_text().replace(
        "<spiffworkflow:calledDecisionId>LadderSpoorTest</spiffworkflow:calledDecisionId>",
        "<spiffworkflow:calledDecisionId></spiffworkflow:calledDecisionId>",
    )
    problems = validate_bundle({"a.bpmn": text.encode()})
    assert [(p.line, p.element_id) for p in problems] == [
        (_line_of(MODELS / "aanvraag.bpmn", '<bpmn:businessRuleTask id="Spoor"'), "Spoor")]
    assert "calledDecisionId" in problems[0].message


# --- hostile code -----------------------------------------------------------------------------------

# Refused only when run (the sandbox stops them there, see test_sandbox.py): they compile fine.
RUNTIME_ONLY = {"script_while_true", "script_swallow_limit", "script_pow_tower", "script_str_mult",
                "script_list_mult"}
CODE_MODELS = sorted(p for p in HOSTILE.glob("*.bpmn") if not p.stem.startswith("xml_"))


@pytest.mark.parametrize("path", CODE_MODELS, ids=lambda p: p.stem)
def test_hostile_code_is_refused_with_file_line_and_element(path):
    problems = validate_bundle(_files(path))
    if path.stem in RUNTIME_ONLY:
        assert problems == []
        return
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == path.name
    assert problem.element_id in {"Evil", "Flow_cond"}
    assert problem.line is not None and problem.line > 2
    # The line points at the offending code itself.
    offending = path.read_text().splitlines()[problem.line - 1]
    assert any(word in offending for word in ("import", "__", "open", "eval", "exec", "compile",
                                              "globals", "vars", "locals", "format", "now"))


def test_import_os_is_refused_with_its_exact_line():
    path = HOSTILE / "script_import_os.bpmn"
    [problem] = validate_bundle(_files(path))
    line = _line_of(path, "import os")
    assert problem == Problem(path.name, line, "Evil",
                              "modules importeren mag niet in modelcode (import os) (regel 2 van het script)",
                              "Scripttaak (Evil)")
    assert str(problem) == (f"script_import_os.bpmn:{line}: Scripttaak (Evil): modules importeren mag "
                            "niet in modelcode (import os) (regel 2 van het script)")
    with pytest.raises(BundleInvalid) as invalid:
        parse_bundle(_files(path))
    assert invalid.value.problems == [problem]


def test_dmn_cells_are_compiled_in_the_sandbox():
    path = HOSTILE / "dmn_cell_import.dmn"
    problems = validate_bundle(_files(path))
    assert [(p.line, p.element_id) for p in problems] == [
        (_line_of(path, "getpid"), "Entry_1"), (_line_of(path, "system"), "Out_2")]
    assert all("‘__import__’ mag niet in modelcode" in p.message for p in problems)
    # The cell is named by its rule and column, as the decision table editor shows them.
    assert [p.element for p in problems] == ["Regel 1, kolom ‘Trede’ (Entry_1)",
                                             "Regel 2, kolom ‘Spoor’ (Out_2)"]


@pytest.mark.parametrize(("cell", "hint"), [
    ("[1..2]", "1 <= ? <= 5"),  # FEEL range: SpiffWorkflow raises when the row is reached
    ("1, 2", "? in (1, 2, 3)"),  # FEEL list: would silently never match
    ("not(3)", "? != 3"),  # FEEL negation: would silently never match
    ("2 2", "ongeldige Python-syntax"),
])
def test_dmn_cell_that_is_not_python_is_a_problem(cell, hint):
    text = (MODELS / "ladder.dmn").read_text().replace("&lt;= 2", cell)
    [problem] = validate_bundle({"ladder.dmn": text.encode()})
    assert problem.line == _line_of(MODELS / "ladder.dmn", "&lt;= 2")
    assert problem.element_id == "Entry_1"
    assert problem.message.startswith(f"invoercel ‘{cell}’")
    assert hint in problem.message


def test_multi_line_script_problem_points_at_the_failing_line():
    text = (MODELS / "aanvraag.bpmn").read_text().replace(
        "bedrag = round_money(uren * 12.5)", "bedrag = round_money(uren * 12.5)\nx = ().__class__")
    [problem] = validate_bundle({"a.bpmn": text.encode()})
    assert problem.line == _line_of(MODELS / "aanvraag.bpmn", "bedrag = round_money") + 1
    assert problem.message == ("onderdelen die met een laag streepje beginnen mogen niet in modelcode "
                               "(‘.__class__’) (regel 3 van het script)")
    assert problem.element == "Scripttaak ‘Bereken einddatum en bedrag’ (Bereken)"


# --- unsafe XML -------------------------------------------------------------------------------------

XML_ATTACKS = {
    "xml_xxe_file": "DOCTYPE",
    "xml_billion_laughs": "DOCTYPE",
    "xml_external_dtd": "DOCTYPE",
    "xml_parameter_entity": "DOCTYPE",
    "xml_utf16_doctype": "DOCTYPE",
    "xml_xinclude": "XInclude",
    "xml_malformed": "ongeldige XML: een begintag en eindtag passen niet bij elkaar",
    "xml_not_bpmn": "geen BPMN- of DMN-bestand",
}


def test_every_xml_attack_file_is_covered():
    assert {p.stem for p in HOSTILE.glob("xml_*")} == set(XML_ATTACKS)


@pytest.mark.parametrize("name", sorted(XML_ATTACKS))
def test_unsafe_xml_is_refused_before_spiffworkflow_sees_it(name):
    path = HOSTILE / f"{name}.bpmn"
    started = time.perf_counter()
    problems = validate_bundle(_files(path))
    assert time.perf_counter() - started < 2.0  # no entity expansion, no network
    assert len(problems) == 1
    assert XML_ATTACKS[name] in problems[0].message
    assert problems[0].line is not None
    assert "root:" not in problems[0].message  # nothing of /etc/passwd leaks into messages


def test_malformed_xml_reports_the_line_of_the_error():
    [problem] = validate_bundle(_files(HOSTILE / "xml_malformed.bpmn"))
    assert problem.line == _line_of(HOSTILE / "xml_malformed.bpmn", "</bpmn:script-task>")


def test_oversized_file_is_refused():
    [problem] = validate_bundle({"big.bpmn": b" " * (MAX_MODEL_BYTES + 1)})
    assert "grens" in problem.message


def test_schema_violation_is_reported_with_its_line():
    text = (MODELS / "aanvraag.bpmn").read_text().replace(
        '<bpmn:endEvent id="EindActivering">', '<bpmn:endEvent id="EindActivering" bogus="1">')
    [problem] = validate_bundle({"a.bpmn": text.encode()})
    assert problem.line == _line_of(MODELS / "aanvraag.bpmn", '<bpmn:endEvent id="EindActivering">')
    assert problem.message == "het attribuut ‘bogus’ hoort niet bij ‘eindgebeurtenis (bpmn:endEvent)’"


# --- what the engine cannot execute -------------------------------------------------------------------


def test_every_unexecutable_element_is_listed_with_its_line():
    path = MODELS / "unsupported.bpmn"
    problems = validate_bundle(_files(path))
    found = {(p.element_id, p.line) for p in problems}
    assert found == {
        ("Start", _line_of(path, 'id="Start"')),
        ("Split", _line_of(path, 'id="Split"')),
        ("Complex", _line_of(path, 'id="Complex"')),
        ("Ask", _line_of(path, 'id="Ask"')),
        ("Flow_6", _line_of(path, 'id="Flow_6"')),
        ("Flow_7", _line_of(path, 'id="Flow_7"')),
        ("Link", _line_of(path, "linkEventDefinition")),
    }
    messages = " | ".join(p.message for p in problems)
    for fragment in ("gereserveerd", "er vertrekken 2 pijlen", "complexGateway", "serviceTaskOperator",
                     "geen voorwaarde", "koppelgebeurtenis"):
        assert fragment in messages


def test_one_decision_per_dmn_file_and_unique_ids():
    ladder = (MODELS / "ladder.dmn").read_bytes()
    problems = validate_bundle({"a.dmn": ladder, "b.dmn": ladder})
    assert [(p.file, p.element_id) for p in problems] == [("b.dmn", "LadderSpoorTest")]
    assert "ook gebruikt in a.dmn" in problems[0].message


@pytest.mark.parametrize("content", [
    b"", b"\x00\xff\xfe garbage", b"<x/>", b"<?xml version='1.0'?>", "text, not bytes",
    b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process/>'
    b"</bpmn:definitions>",
    b'<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"/>',
])
def test_bad_input_gives_problems_never_an_exception(content):
    problems = validate_bundle({"m.bpmn": content})
    assert problems
    assert all(isinstance(p, Problem) and "interne fout" not in p.message for p in problems)


def test_empty_bundle_is_a_problem():
    assert validate_bundle({})[0].message == "geen modelbestanden meegegeven"


# --- reading files -------------------------------------------------------------------------------------


def test_directories_expand_to_their_model_files(tmp_path):
    for path in GOOD:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "notes.txt").write_text("not a model")
    files = read_model_files([tmp_path])
    assert sorted(Path(name).name for name in files) == ["aanvraag.bpmn", "ladder.dmn"]


def test_missing_and_oversized_files_are_problems(tmp_path):
    big = tmp_path / "big.bpmn"
    big.write_bytes(b" " * (MAX_MODEL_BYTES + 1))
    with pytest.raises(BundleInvalid) as invalid:
        read_model_files([big, tmp_path / "missing.bpmn"])
    messages = [p.message for p in invalid.value.problems]
    assert any("grens" in m for m in messages) and "bestand of map bestaat niet" in messages


# --- the command line -----------------------------------------------------------------------------------


def test_cli_accepts_a_good_bundle():
    result = CliRunner().invoke(validate_command, [str(p) for p in GOOD])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "OK: 2 bestanden, 1 proces, 1 beslissing"


def test_cli_lists_problems_on_stderr_and_exits_2():
    path = HOSTILE / "script_import_os.bpmn"
    result = CliRunner().invoke(validate_command, [str(path), str(HOSTILE / "dmn_cell_import.dmn")])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (f"{path}:{_line_of(path, 'import os')}: Scripttaak (Evil): modules importeren "
                        "mag niet in modelcode (import os) (regel 2 van het script)")
    assert lines[-1] == "3 problemen gevonden"


def test_cli_reports_a_missing_path_without_a_traceback():
    result = CliRunner().invoke(validate_command, ["does/not/exist.bpmn"])
    assert result.exit_code == 2
    assert result.stderr.startswith("does/not/exist.bpmn: bestand of map bestaat niet")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_trede_validate_as_a_real_command():
    trede = Path(sys.executable).parent / "trede"
    bad = subprocess.run([str(trede), "validate", "tests/models/hostile/script_import_os.bpmn"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    line = _line_of(HOSTILE / "script_import_os.bpmn", "import os")
    assert f"tests/models/hostile/script_import_os.bpmn:{line}: Scripttaak (Evil):" in bad.stderr
    assert "Traceback" not in bad.stderr
    good = subprocess.run([str(trede), "validate", "tests/models/aanvraag.bpmn", "tests/models/ladder.dmn"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("OK: 2 bestanden")


# --- BPMN MIWG reference models -----------------------------------------------------------------------

MIWG_FILES = sorted(MIWG.glob("*.bpmn"))


def test_the_conformance_models_are_there():
    assert len(MIWG_FILES) == 21


@pytest.mark.parametrize("path", MIWG_FILES, ids=lambda p: p.name)
def test_conformance_model_is_accepted_or_every_problem_has_a_line(path):
    problems = validate_bundle(_files(path))
    for problem in problems:
        assert problem.file == path.name
        assert problem.line is not None, str(problem)
        assert "Traceback" not in problem.message and "internal error" not in problem.message
    if not problems:
        parse_bundle(_files(path))  # accepted means it really builds


# --- timers that would keep a step busy for ever (issue 17) ---------------------------------------
FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"


def _timer_model(kind: str, value: str) -> dict[str, bytes]:
    """The test model with one literal timer value: a cycle on the boundary, or the first wait."""
    text = (FIXTURES / "cyclus.bpmn").read_text()
    old = "<bpmn:timeCycle>cyclus</bpmn:timeCycle>" if kind == "timeCycle" else \
        '<bpmn:timeDuration>"P1D"</bpmn:timeDuration>'
    text = text.replace(old, f"<bpmn:{kind}>{value}</bpmn:{kind}>")
    return {"cyclus.bpmn": text.encode()}


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("timeCycle", '"R/PT0S"', "timer: de cyclus 'R/PT0S' herhaalt vaker dan eens per minuut"),
    ("timeCycle", '"R5/PT10S"', "de cyclus 'R5/PT10S' herhaalt vaker dan eens per minuut"),
    ("timeCycle", '"R/PT1H"', "timer: de cyclus 'R/PT1H' herhaalt onbegrensd"),
    ("timeCycle", '"R5000/P1D"', "herhaalt vaker dan 1000 keer"),
    ("timeDuration", '"P99999999Y"', "timer: de duur 'P99999999Y' is langer dan 100 jaar"),
    ("timeDuration", '"P101Y"', "de duur 'P101Y' is langer dan 100 jaar"),
    ("timeDate", '"9999-12-31T00:00:00+00:00"', "ligt meer dan 100 jaar van nu"),
])
def test_timers_beyond_their_bounds_are_refused_with_the_element_named(kind, value, message):
    problems = validate_bundle(_timer_model(kind, value))
    assert len(problems) == 1, problems
    assert message in problems[0].message
    assert problems[0].element_id in ("herinnering", "dag")


@pytest.mark.parametrize(("kind", "value"), [
    ("timeCycle", '"R3/PT1M"'), ("timeCycle", '"R12/P1M"'), ("timeCycle", "cyclus"),  # computed: at runtime
    ("timeDuration", '"P100Y"'), ("timeDuration", '"PT1M"'), ("timeDate", '"2026-12-31T00:00:00+01:00"'),
])
def test_timers_within_their_bounds_pass(kind, value):
    assert validate_bundle(_timer_model(kind, value)) == []


def test_trede_validate_refuses_a_zero_cycle(tmp_path):
    path = tmp_path / "cyclus.bpmn"
    path.write_bytes(_timer_model("timeCycle", '"R/PT0S"')["cyclus.bpmn"])
    result = CliRunner().invoke(validate_command, [str(path)])
    assert result.exit_code == 2
    assert ("Randgebeurtenis ‘Herinnering’ (herinnering): timer: de cyclus 'R/PT0S' herhaalt vaker dan "
            "eens per minuut" in result.output)

"""`trede validate` and `trede deploy` on a Camunda Modeler invoice model: a line per translation.

A designer sees, per camunda: construct, what it became (file:line: element: ...) before anything is
deployed, and a refusal names file, line and element on stderr (exit 2, no traceback).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.validate import command as validate_command
from tests.test_cli import designers, fresh_db, run  # noqa: F401 - fixtures

CAMUNDA = Path(__file__).parent.parent / "fixtures" / "camunda"


def test_validate_prints_a_line_per_translation():
    result = CliRunner().invoke(validate_command, [str(CAMUNDA)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "OK: 3 bestanden, 1 proces, 1 beslissing"
    translated = [line for line in lines if line.endswith("(vertaald)")]
    assert len(translated) == 9
    assert all(line.startswith(f"{CAMUNDA / 'factuur.bpmn'}:") for line in translated)
    assert any(": goedkeuren: camunda:assignee='${goedkeurder}' → toegewezen aan wie variabele 'goedkeurder' "
               "noemt" in line for line in translated)


def test_validate_refuses_a_cron_timer_line_by_line(tmp_path):
    model = (CAMUNDA / "factuur.bpmn").read_text().replace(
        '<bpmn:startEvent id="ontvangen" name="Factuur ontvangen">',
        '<bpmn:startEvent id="ontvangen" name="Factuur ontvangen"><bpmn:timerEventDefinition id="t">'
        "<bpmn:timeCycle>0 0 9 * * ?</bpmn:timeCycle></bpmn:timerEventDefinition>")
    path = tmp_path / "factuur.bpmn"
    path.write_text(model)
    result = CliRunner().invoke(validate_command, [str(path), str(CAMUNDA / "factuur_goedkeurder.dmn"),
                                                   str(CAMUNDA / "factuur-goedkeuren.json")])
    assert result.exit_code == 2
    assert f"{path}:10: Startgebeurtenis ‘Factuur ontvangen’ (ontvangen): " \
           f"cron-timer '0 0 9 * * ?' wordt niet ondersteund" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.database
def test_deploy_shows_the_translation_and_the_approved_version_has_the_forms(designers):  # noqa: F811
    asked = run("deploy", str(CAMUNDA), "--actor", "ontwerper1", db=designers)
    assert asked.returncode == 0, asked.stderr
    assert "camunda:formData (4 velden: leverancier, bedrag, soort, goedkeurder) → formulier " \
           "'factuur-registreren.json' (vertaald)" in asked.stdout
    approved = run("deploy", "--approve", "1", "--actor", "ontwerper2", db=designers)
    assert approved.returncode == 0, approved.stderr
    assert "Uitgerold als versie 1" in approved.stdout


def test_a_camunda_group_that_is_no_role_of_trede_is_refused(tmp_path):
    """candidateGroups="accounting" as a lane no role works in would open the task to anyone."""
    model = (CAMUNDA / "factuur.bpmn").read_text().replace('camunda:candidateGroups="casemanager"',
                                                           'camunda:candidateGroups="accounting"')
    path = tmp_path / "factuur.bpmn"
    path.write_text(model)
    result = CliRunner().invoke(validate_command, [str(path), str(CAMUNDA / "factuur_goedkeurder.dmn"),
                                                   str(CAMUNDA / "factuur-goedkeuren.json")])
    assert result.exit_code == 2
    expected = f"{path}:13: registreren: camunda:candidateGroups 'accounting' is geen rol van trede"
    assert expected in result.stderr

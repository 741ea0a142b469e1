"""SpiffArena models (issue 21, item 6): a form's UI schema is merged into trede's form, a line each.

SpiffArena gives a user task a JSON Schema (formJsonSchemaFilename, read as it is) and a UI schema
(formUiSchemaFilename) with the layout; trede keeps the layout in the form itself. The model in
tests/fixtures/spiffarena was written as SpiffArena writes one.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.models.camunda import translate_bundle
from engine.models.safe_xml import parse_safe_xml
from engine.models.validation import validate_bundle
from tests.engine.helpers import BSN, make_engine

ARENA = Path(__file__).parent.parent / "fixtures" / "spiffarena"


def _files(**replace: str) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(ARENA.iterdir()) if p.suffix in (".bpmn", ".json")}
    for name, text in replace.items():
        files[name.replace("_", "-") + ".json"] = text.encode()
    return files


def test_the_layout_is_merged_into_the_form_with_a_line_each():
    translation = translate_bundle(_files(), parse_safe_xml)
    ui = "formulieropmaak 'aanvraag-uischema.json': "
    lines = [n.message.removeprefix(ui).removesuffix(" in 'aanvraag-schema.json'") for n in translation.notes]
    assert lines == [
        "ui:order → x-order ['reden', 'bedrag']",
        "ui:widget 'textarea' van veld 'reden' → x-widget",
        "ui:help van veld 'reden' → de toelichting bij het veld",
        "ui:autofocus van veld 'reden' zonder effect in trede: trede zet de cursor in het eerste veld "
        "met een fout"]
    assert all(n.message.startswith(ui) for n in translation.notes)
    assert "aanvraag-uischema.json" not in translation.files
    assert validate_bundle(_files()) == []


def test_the_deployed_form_has_the_layout(db):
    engine = make_engine(db)
    engine.deploy(_files())
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "aanvraag_arena", {})
    [task] = engine.ready_tasks(case_id=case.id)
    form = engine.task_form(task.task_id)
    assert form["x-order"] == ["reden", "bedrag"]
    assert form["properties"]["reden"] == {"type": "string", "title": "Reden", "x-widget": "textarea",
                                           "description": "Schrijf waarom u dit aanvraagt."}


@pytest.mark.parametrize("ui, refused", [
    ({"reden": {"ui:widget": "password"}}, "ui:widget van veld 'reden' wordt niet ondersteund"),
    ({"bedrag": {"ui:readonly": True}}, "ui:readonly van veld 'bedrag' wordt niet ondersteund"),
    ({"onbekend": {"ui:widget": "textarea"}},
     "'onbekend' wordt niet ondersteund (geen veld van het formulier)"),
])
def test_layout_trede_cannot_show_is_refused_with_the_task_and_line(ui, refused):
    [problem] = validate_bundle(_files(aanvraag_uischema=json.dumps(ui)))
    assert (problem.file, problem.line, problem.element_id) == ("aanvraag.bpmn", 11, "aanvragen")
    assert refused in problem.message


def test_a_missing_layout_file_is_refused():
    files = _files()
    del files["aanvraag-uischema.json"]
    [problem] = validate_bundle(files)
    assert "formulieropmaak 'aanvraag-uischema.json': aanvraag-uischema.json zit niet in de bundel" \
        in problem.message

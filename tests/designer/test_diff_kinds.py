"""The four-eyes reviewer reads every change (issue 20 item 2): each kind of change to a bundle is
named, with its file, element and what it was and became. Element ids such as f09 recur in most
files of the participatiewet bundle; a change in one file must never hide behind another's."""
from __future__ import annotations

from pathlib import Path

import pytest

from casework.designer.diff import diff_bundles

pytestmark = pytest.mark.unit

ROOT = Path(__file__).parent.parent.parent
BUNDLE = ROOT / "bpmn" / "processes" / "participatiewet"


def _bundle() -> dict[str, str]:
    return {p.relative_to(BUNDLE).as_posix(): p.read_text() for p in sorted(BUNDLE.rglob("*"))
            if p.suffix in (".bpmn", ".json")}


def _changed(file: str, old: str, new: str) -> list[str]:
    before = _bundle()
    after = dict(before)
    assert old in after[file], f"{old!r} not in {file}"
    after[file] = after[file].replace(old, new, 1)
    return diff_bundles(before, after).lines()


def test_a_changed_condition_is_named_in_its_own_file():
    lines = _changed("evaluatie.bpmn", 'instrument == "participatieplaats"', 'instrument == "werkstage"')
    assert lines == ['gewijzigd: evaluatie.bpmn sequenceFlow f09 (ja): voorwaarde (conditionExpression) '
                     'gemeente == "ooststellingwerf" and instrument == "participatieplaats" → '
                     'gemeente == "ooststellingwerf" and instrument == "werkstage"']


def test_a_retargeted_flow_and_a_condition_on_the_default_flow_are_named():
    retarget = _changed("evaluatie.bpmn", 'id="f04" sourceRef="gesprek" targetRef="gw_wassenaar"',
                        'id="f04" sourceRef="gesprek" targetRef="join_wassenaar"')
    assert retarget == ["gewijzigd: evaluatie.bpmn sequenceFlow f04: gaat naar (@targetRef) "
                        "gw_wassenaar → join_wassenaar"]
    default_flow = '<bpmn:sequenceFlow id="f10" name="nee" sourceRef="gw_premie" targetRef="join_premie"'
    condition = _changed("evaluatie.bpmn", default_flow + " />", default_flow + ">"
                         "<bpmn:conditionExpression>False</bpmn:conditionExpression></bpmn:sequenceFlow>")
    assert condition == ["gewijzigd: evaluatie.bpmn sequenceFlow f10 (nee): voorwaarde (conditionExpression) "
                         "— → False"]


def test_scripts_timers_and_forms_are_named():
    timer = _changed("evaluatie.bpmn", 'str(evaluatiedatum)[:10] + "T00:00:00+01:00"',
                     'str(evaluatiedatum)[:10] + "T09:00:00+01:00"')
    assert len(timer) == 1 and timer[0].startswith(
        "gewijzigd: evaluatie.bpmn timerEventDefinition timer_evaluatie: timer (datum) (timeDate)")
    form = "forms/afronding.json"
    text = _bundle()[form]
    assert diff_bundles({form: text}, {form: " " + text.replace(",", ", ")}).empty  # layout only
    title = text[text.index('"title"'):].split("\n", 1)[0].rstrip(",")
    changed = _changed(form, title, '"title": "Anders"')
    assert len(changed) == 1 and changed[0].startswith(f"gewijzigd: {form} bestand {form}: ")
    assert changed[0].endswith(': title "Afronding en eindmeting vastleggen" → "Anders"')
    script = _changed("evaluatie.bpmn", "<bpmn:script>try:", "<bpmn:script>pass\ntry:")
    assert len(script) == 1 and script[0].startswith(
        "gewijzigd: evaluatie.bpmn scriptTask voorbereiden (Evaluatie voorbereiden): script try:")


def test_added_and_removed_elements_are_named():
    flow = 'sourceRef="categorie" targetRef="join_wassenaar" />'
    lines = _changed("evaluatie.bpmn", f'id="f07" {flow}', f'id="f07b" {flow}')
    assert lines == ["toegevoegd: evaluatie.bpmn sequenceFlow f07b",
                     "verwijderd: evaluatie.bpmn sequenceFlow f07"]


def test_a_decision_cell_is_named():
    path = ROOT / "bpmn" / "rules" / "apeldoorn" / "2020-07-02" / "Verlenging.dmn"
    before = {"Verlenging.dmn": path.read_text()}
    after = {"Verlenging.dmn": before["Verlenging.dmn"].replace('"werkt_mee_op_trede_4"',
                                                                '"werkt_mee_op_trede_5"', 1)}
    lines = diff_bundles(before, after).lines()
    assert len(lines) == 1 and ": cel (text) " in lines[0] and "werkt_mee_op_trede_5" in lines[0]


def test_a_moved_shape_is_listed_as_a_drawing_change():
    model = (ROOT / "tests" / "fixtures" / "miwg" / "A.1.0.bpmn").read_text()
    moved = model.replace('x="186.0" y="336.0"', 'x="286.0" y="336.0"', 1)
    lines = diff_bundles({"A.1.0.bpmn": model}, {"A.1.0.bpmn": moved}).lines()
    assert len(lines) == 1 and lines[0].startswith("tekening gewijzigd: A.1.0.bpmn ")


def test_a_label_placed_by_the_modeler_or_a_reordered_plane_is_no_change():
    """bpmn-js writes a label position for every named element it saves; a reviewer would otherwise
    see every gateway of the process listed (and marked) as redrawn."""
    model = (ROOT / "bpmn" / "processes" / "participatiewet" / "evaluatie.bpmn").read_text()
    labelled = model.replace(
        '<bpmndi:BPMNShape id="gw_premie_di" bpmnElement="gw_premie" isMarkerVisible="true">',
        '<bpmndi:BPMNShape id="gw_premie_di" bpmnElement="gw_premie" isMarkerVisible="true">'
        '<bpmndi:BPMNLabel><dc:Bounds x="1" y="2" width="30" height="14"/></bpmndi:BPMNLabel>')
    assert labelled != model
    assert diff_bundles({"e.bpmn": model}, {"e.bpmn": labelled}).empty

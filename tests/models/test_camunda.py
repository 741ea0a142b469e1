"""Camunda Modeler models (issue 21, item 6): each camunda: construct translated, with a line, or refused.

The invoice-approval model in tests/fixtures/camunda was written as Camunda Modeler 5 writes a
Camunda 7 model: forms in camunda:formData and camunda:formKey, camunda:assignee,
camunda:candidateGroups, camunda:decisionRef and a JUEL condition. A test per supported construct
checks what it does in a running case; a test per unsupported one checks its refusal names the
construct, the file, the line and the element, and says what to write instead.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.models.camunda import feel_to_python, juel_to_python, translate_bundle
from engine.models.safe_xml import parse_safe_xml
from engine.models.validation import parse_bundle, validate_bundle
from tests.engine.helpers import BSN, make_engine

CAMUNDA = Path(__file__).parent.parent / "fixtures" / "camunda"
MODEL = (CAMUNDA / "factuur.bpmn").read_text()


def _bundle(model: str = MODEL) -> dict[str, bytes]:
    return {"factuur.bpmn": model.encode(),
            "factuur-goedkeuren.json": (CAMUNDA / "factuur-goedkeuren.json").read_bytes(),
            "factuur_goedkeurder.dmn": (CAMUNDA / "factuur_goedkeurder.dmn").read_bytes()}


def _line(needle: str, text: str = MODEL) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _notes(model: str = MODEL) -> list[str]:
    return [str(n) for n in translate_bundle(_bundle(model), parse_safe_xml).notes]


# --- the invoice model deploys with its forms, assignee, lane and decision ------------------------------


def test_every_translation_has_its_line_with_file_and_element():
    notes = _notes()
    assert len(notes) == 9
    decision, form = _line('id="beoordelen"'), _line('id="registreren"')
    assert f"factuur.bpmn:{decision}: beoordelen: camunda:decisionRef=" \
        "'factuur_goedkeurder' → roept beslissing 'factuur_goedkeurder' aan" in notes
    assert any(n.startswith(f"factuur.bpmn:{form}: registreren: camunda:formData "
                            "(4 velden: leverancier, bedrag, soort, goedkeurder)") for n in notes)
    assert any("camunda:asyncBefore='true' zonder effect in trede" in n for n in notes)
    assert validate_bundle(_bundle()) == []


def _case(db, data=None):
    engine = make_engine(db)
    engine.deploy(_bundle())
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "factuur_goedkeuren", data or {})
    return engine, case


def test_formdata_becomes_the_tasks_form_and_candidate_groups_its_lane(db):
    engine, case = _case(db)
    [task] = engine.ready_tasks(case_id=case.id)
    assert (task.title, task.lane, task.claimed_by) == ("Factuur registreren", "casemanager", None)
    form = engine.task_form(task.task_id)
    assert form["required"] == ["leverancier", "bedrag"]
    assert form["properties"]["bedrag"] == {"type": "integer", "title": "Bedrag (euro)", "minimum": 1}
    assert form["properties"]["soort"]["enum"] == ["scholing", "reiskosten"]
    assert form["properties"]["soort"]["default"] == "scholing"
    assert form["x-order"] == ["leverancier", "bedrag", "soort", "goedkeurder"]


def test_decision_juel_condition_assignee_and_form_key_take_effect(db):
    engine, case = _case(db)
    [task] = engine.ready_tasks(case_id=case.id)
    engine.complete(task.task_id, {"leverancier": "Opleider BV", "bedrag": 800, "soort": "scholing",
                                   "goedkeurder": "cm2"}, actor="cm1")
    # decisionRef ran the decision (scholing: not approved beforehand), the JUEL condition
    # bedrag > 500 && !vooraf_goedgekeurd held, and the assignee variable named cm2
    [task] = engine.ready_tasks(case_id=case.id)
    assert (task.title, task.claimed_by) == ("Factuur goedkeuren", "cm2")
    assert engine.task_form(task.task_id)["title"] == "Factuur goedkeuren"  # formKey
    assert engine.task_data(task.task_id)["vooraf_goedgekeurd"] is False
    assert engine.verify(case.id).ok


def test_the_juel_condition_can_be_false(db):
    engine, case = _case(db)
    [task] = engine.ready_tasks(case_id=case.id)
    engine.complete(task.task_id, {"leverancier": "NS", "bedrag": 800, "soort": "reiskosten",
                                   "goedkeurder": "cm2"}, actor="cm1")
    assert engine.ready_tasks(case_id=case.id) == []  # reiskosten: approved beforehand, done
    assert engine.verify(case.id).ok


def test_the_deployed_version_is_the_translation_with_its_generated_form(db):
    engine, _ = _case(db)
    from sqlalchemy import select

    from engine.storage.db import deployments
    with db.connect() as conn:
        files = json.loads(conn.execute(select(deployments.c.files)).scalars().all()[-1])
    assert "factuur-registreren.json" in files
    assert "camunda:decisionRef" not in files["factuur.bpmn"]
    assert "factuur_goedkeurder</spiffworkflow:calledDecisionId>" in files["factuur.bpmn"]


# --- multi-instance and timers ---------------------------------------------------------------------------
MI = MODEL.replace(
    '<bpmn:userTask id="goedkeuren" name="Factuur goedkeuren" camunda:assignee="${goedkeurder}"',
    '<bpmn:userTask id="goedkeuren" name="Factuur goedkeuren" camunda:collection="${goedkeurders}" '
    'camunda:elementVariable="goedkeurder_i" camunda:assignee="${goedkeurder}"').replace(
    "<bpmn:outgoing>f4</bpmn:outgoing>",
    '<bpmn:outgoing>f4</bpmn:outgoing>'
    '<bpmn:multiInstanceLoopCharacteristics isSequential="true" />')


def test_collection_and_element_variable_become_multi_instance_data():
    notes = _notes(MI)
    assert any("camunda:collection='${goedkeurders}' → één keer per element van lijst 'goedkeurders'" in n
               for n in notes)
    assert any("camunda:elementVariable='goedkeurder_i'" in n for n in notes)
    translated = translate_bundle(_bundle(MI), parse_safe_xml).files
    spec, _ = parse_bundle(translated).get_spec("factuur_goedkeuren")
    task = spec.task_specs["goedkeuren"]
    assert task.data_input.bpmn_id == "goedkeurders" and task.input_item.bpmn_id == "goedkeurder_i"


@pytest.mark.parametrize("written, becomes", [
    ("P14D", '"P14D"'), ("2026-03-01T09:00:00", '"2026-03-01T09:00:00"'), ("R3/PT1H", '"R3/PT1H"'),
    ("${termijn}", "termijn"),
])
def test_timer_values_become_python(written, becomes):
    start = '<bpmn:startEvent id="ontvangen" name="Factuur ontvangen">'
    model = MODEL.replace(start, f'{start}<bpmn:timerEventDefinition id="t"><bpmn:timeDuration>{written}'
                                 "</bpmn:timeDuration></bpmn:timerEventDefinition>")
    files = translate_bundle(_bundle(model), parse_safe_xml).files
    assert f"<bpmn:timeDuration>{becomes}</bpmn:timeDuration>" in files["factuur.bpmn"].decode()


@pytest.mark.parametrize("juel, python", [
    ("a > 5", "a > 5"), ("a gt 5 and not klaar", "a > 5 and not klaar"), ("x == 'ja' || y != null",
                                                                             "x == 'ja' or y != None"),
    ("!goedgekeurd", "not goedgekeurd"), ("empty bijlagen or bedrag le 0", "not bijlagen or bedrag <= 0"),
    ("factuur.isHoog()", None), ("a >", None), ("a ? b : c", None),
])
def test_juel_conditions(juel, python):
    assert juel_to_python(juel) == python


@pytest.mark.parametrize("feel, python", [
    ("bedrag > 500 and soort = \"scholing\"", 'bedrag > 500 and soort == "scholing"'),
    ("ok = true", "ok == True"),
])
def test_simple_feel_conditions(feel, python):
    assert feel_to_python(feel) == python


# --- refused, line by line -------------------------------------------------------------------------------
REFUSED = [
    ('camunda:assignee="${goedkeurder}"', 'camunda:assignee="demo"', "goedkeuren",
     "camunda:assignee='demo' wordt niet ondersteund", "${variabele}"),
    ('camunda:candidateGroups="casemanager"', 'camunda:candidateGroups="casemanager, teamleider"',
     "registreren", "camunda:candidateGroups='casemanager, teamleider'", "één groep"),
    ('camunda:formKey="factuur-goedkeuren"', 'camunda:formKey="embedded:app:forms/goedkeuren.html"',
     "goedkeuren", "camunda:formKey='embedded:app:forms/goedkeuren.html'", "JSON"),
    ('camunda:decisionRef="factuur_goedkeurder"',
     'camunda:decisionRef="factuur_goedkeurder" camunda:resultVariable="uitkomst"', "beoordelen",
     "camunda:resultVariable op businessRuleTask", "losse variabelen"),
    ('camunda:asyncBefore="true"', 'camunda:candidateUsers="jan,piet"', "goedkeuren",
     "camunda:candidateUsers op userTask", "${variabele}"),
    ("${bedrag &gt; 500 &amp;&amp; !vooraf_goedgekeurd}", "${factuur.isHoog()}", "hoog",
     "JUEL-voorwaarde '${factuur.isHoog()}'", "eenvoudige vergelijking"),
    ('<bpmn:userTask id="registreren" name="Factuur registreren" camunda:candidateGroups="casemanager">',
     '<bpmn:userTask id="registreren" name="Factuur registreren" camunda:candidateGroups="casemanager">'
     '<bpmn:extensionElements><camunda:executionListener class="nl.Luisteraar" event="start" />'
     '</bpmn:extensionElements>', "registreren", "camunda:executionListener", "preScript"),
    ('<bpmn:outgoing>f2</bpmn:outgoing>\n    </bpmn:userTask>',
     '<bpmn:outgoing>f2</bpmn:outgoing>\n    </bpmn:userTask><bpmn:serviceTask id="betalen" '
     'camunda:class="nl.Betaal" />', "betalen", "camunda:class op serviceTask", "serviceTaskOperator"),
    ('<bpmn:startEvent id="ontvangen" name="Factuur ontvangen">',
     '<bpmn:startEvent id="ontvangen" name="Factuur ontvangen"><bpmn:timerEventDefinition id="t">'
     '<bpmn:timeCycle>0 0 9 * * ?</bpmn:timeCycle></bpmn:timerEventDefinition>', "ontvangen",
     "cron-timer '0 0 9 * * ?'", "R/P1D"),
    ('<camunda:formField id="goedkeurder" label="Wie keurt goed" type="string" />',
     '<camunda:formField id="goedkeurder" label="Wie keurt goed" type="string" />'
     '<camunda:formField id="bijlage" label="Bijlage" type="file" />', "registreren",
     "formulierveld 'bijlage' van type 'file'", "enum"),
    ('<camunda:formField id="goedkeurder" label="Wie keurt goed" type="string" />',
     '<camunda:formField id="goedkeurder" label="Wie keurt goed" type="string"><camunda:properties>'
     '<camunda:property id="p" value="1" /></camunda:properties></camunda:formField>', "registreren",
     "camunda:properties van formulierveld 'goedkeurder'", "keuzewaarden"),
    ('<bpmn:startEvent id="ontvangen" name="Factuur ontvangen">',
     '<bpmn:startEvent id="ontvangen" name="Factuur ontvangen" camunda:formKey="embedded:app:start.html">',
     "ontvangen", "camunda:formKey op startEvent", "ioSpecification"),
    ('<bpmn:startEvent id="ontvangen" name="Factuur ontvangen">',
     '<bpmn:startEvent id="ontvangen" name="Factuur ontvangen"><bpmn:extensionElements><camunda:formData>'
     '<camunda:formField id="x" type="string" /></camunda:formData></bpmn:extensionElements>',
     "ontvangen", "camunda:formData op startEvent", "ioSpecification"),
    ('camunda:asyncBefore="true">', 'camunda:asyncBefore="true"><bpmn:extensionElements><camunda:formData>'
     '<camunda:formField id="x" type="string" /></camunda:formData></bpmn:extensionElements>', "goedkeuren",
     "camunda:formData naast camunda:formKey", "één van beide"),
    ('<bpmn:sequenceFlow id="f4" sourceRef="goedkeuren" targetRef="klaar" />',
     '<bpmn:sequenceFlow id="f4" sourceRef="goedkeuren" targetRef="klaar" />'
     '<bpmn:scriptTask id="js" scriptFormat="javascript"><bpmn:script>var a = 1;</bpmn:script>'
     "</bpmn:scriptTask>",
     "js", "een script in 'javascript'", "Python"),
    ('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"',
     '<bpmn:conditionExpression language="groovy" xsi:type="bpmn:tFormalExpression"', "hoog",
     "een voorwaarde in 'groovy'", "Python"),
    ('<bpmn:incoming>f2</bpmn:incoming>',
     '<bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x">1'
     '</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming>',
     "beoordelen", "camunda:inputOutput", "scripttaak"),
]


@pytest.mark.parametrize("old, new, element, construct, instead", REFUSED, ids=[r[3][:40] for r in REFUSED])
def test_unsupported_construct_is_refused_with_file_line_and_element(old, new, element, construct, instead):
    assert old in MODEL
    model = MODEL.replace(old, new, 1)
    problems = [p for p in validate_bundle(_bundle(model)) if construct in p.message]
    assert problems, [str(p) for p in validate_bundle(_bundle(model))]
    problem = problems[0]
    assert (problem.file, problem.element_id) == ("factuur.bpmn", element)
    assert problem.line is not None
    assert "wordt niet ondersteund" in problem.message and instead in problem.message


# --- message payloads ------------------------------------------------------------------------------------
GATEWAY_FILE = Path(__file__).parent.parent / "fixtures" / "bpmn" / "antwoord_of_termijn.bpmn"
GATEWAY = GATEWAY_FILE.read_text().replace(
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"')


def test_a_caught_camunda_message_keeps_its_payload_in_a_variable(db):
    notes = [str(n) for n in translate_bundle({"a.bpmn": GATEWAY.encode()}, parse_safe_xml).notes]
    line = _line('id="antwoord"', GATEWAY)
    assert notes == [f"a.bpmn:{line}: antwoord: bericht 'AntwoordOntvangen' → de inhoud komt in "
                     "variabele 'AntwoordOntvangen' (Camunda zette de velden los in de zaak; "
                     'lees ze als AntwoordOntvangen["veld"])']
    engine = make_engine(db)
    engine.deploy({"a.bpmn": GATEWAY.encode()})
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "wacht_op_antwoord", {})
    engine.deliver_message("AntwoordOntvangen", {"antwoord": "akkoord"}, case_id=case.id)
    [task] = engine.ready_tasks(case_id=case.id)
    assert engine.task_data(task.task_id)["AntwoordOntvangen"] == {"antwoord": "akkoord"}
    assert engine.verify(case.id).ok


def test_an_output_mapping_on_a_message_event_is_refused_with_the_variable_to_read():
    model = GATEWAY.replace('<bpmn:intermediateCatchEvent id="antwoord" name="Antwoord ontvangen">',
                            '<bpmn:intermediateCatchEvent id="antwoord" name="Antwoord ontvangen">'
                            '<bpmn:extensionElements><camunda:inputOutput><camunda:outputParameter name="a">'
                            "${antwoord}</camunda:outputParameter></camunda:inputOutput></bpmn:extensionElements>")
    [problem] = validate_bundle({"a.bpmn": model.encode()})
    assert (problem.element_id, problem.line) == ("antwoord", _line('id="antwoord"', model))
    assert "camunda:inputOutput op een berichtgebeurtenis wordt niet ondersteund" in problem.message
    assert 'AntwoordOntvangen["bedrag"]' in problem.message


def test_call_activity_in_and_out_of_all_variables_is_what_trede_does():
    both = '<camunda:in variables="all" /><camunda:out variables="all" />'
    model = MODEL.replace("<bpmn:incoming>f2</bpmn:incoming>", f"<bpmn:extensionElements>{both}"
                          "</bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming>", 1)
    notes = _notes(model)
    assert sum('variables="all" → zo doet trede het altijd' in n for n in notes) == 2
    model = model.replace('<camunda:out variables="all" />', '<camunda:out source="a" target="b" />')
    assert any("camunda:out wordt niet ondersteund" in p.message for p in validate_bundle(_bundle(model)))


# --- JUEL outside the Camunda dialect, and Camunda 8 --------------------------------------------------------
MIWG = Path(__file__).parent.parent / "fixtures" / "miwg"  # vendored, CC BY 3.0 (its README.md)


def test_juel_conditions_are_translated_in_any_model():
    """MIWG C.1.0 writes ${approved} without the camunda namespace: never Python, so translated."""
    path = MIWG / "C.1.0.bpmn"
    notes = [n.message for n in translate_bundle({path.name: path.read_bytes()}, parse_safe_xml).notes]
    assert "JUEL-voorwaarde '${approved}' → 'approved'" in notes
    assert "JUEL-voorwaarde '${!approved}' → 'not approved'" in notes
    problems = validate_bundle({path.name: path.read_bytes()})
    assert not any("ongeldige Python-syntax" in p.message for p in problems)


def test_camunda_8_extensions_are_refused_per_element_with_their_line():
    path = MIWG / "C.8.0.bpmn"
    problems = [p for p in validate_bundle({path.name: path.read_bytes()}) if "(Camunda 8)" in p.message]
    assert problems and all(p.line and p.element_id for p in problems)
    expected = "zeebe:ioMapping, zeebe:taskDefinition (Camunda 8) wordt niet ondersteund"
    assert any(p.message.startswith(expected) for p in problems)

"""Decision tables in FEEL run in a deployed bundle; Python tables run when they say so; tables
deployed before FEEL was read keep running as Python (issue 21 item 1)."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from engine.models.validation import BundleInvalid
from engine.models.versions import bundle_hash
from engine.storage.db import deployments, process_versions
from tests.dmn.helpers import PROCESS, problems, run, table
from tests.engine.helpers import BSN, make_engine, only_task

AGES = [("[0..18)", '"minderjarig"'), ("[18..67)", '"volwassen"'), (">= 67", '"AOW"')]


def test_a_table_without_expression_language_is_feel_as_the_standard_says():
    dmn = table(AGES, language=None, output="groep")
    assert problems(dmn) == []
    assert [run(dmn, {"leeftijd": age})["groep"] for age in (17, 18, 66, 67)] == \
        ["minderjarig", "volwassen", "volwassen", "AOW"]


def test_feel_lists_not_and_output_arithmetic():
    rules = [('"nug", "anw"', "basis * 2"), ('not("nug", "anw")', "basis + 0.5")]
    dmn = table(rules, language=None, input_expression="doelgroep", output="bedrag").replace(
        'typeRef="number">\n        <text>doelgroep', 'typeRef="string">\n        <text>doelgroep')
    assert run(dmn, {"doelgroep": "anw", "basis": 100})["bedrag"] == 200
    assert run(dmn, {"doelgroep": "wajong", "basis": 100})["bedrag"] == Decimal("100.5")


def test_an_input_expression_that_is_feel_true_works():
    # issue 21: `true` passed validation and failed the case ("name 'true' is not defined")
    dmn = table([("true", "1"), ("false", "0")], language=None, input_expression="leeftijd &gt;= 18")
    assert run(dmn, {"leeftijd": 20})["bedrag"] == 1


def test_names_with_spaces_and_dates_in_a_table():
    rules = [('&lt; date("2025-01-01")', '"oud"'), ('&gt;= date("2025-01-01")', '"nieuw"')]
    dmn = table(rules, language=None, input_expression="Datum Aanvraag", output="regime")
    assert run(dmn, {"Datum Aanvraag": date(2025, 3, 1)})["regime"] == "nieuw"


def test_the_decision_record_explains_a_feel_table():
    data = run(table(AGES, "UNIQUE", language=None, output="groep"), {"leeftijd": 40})
    record = data["beslissing_Tabel"]
    assert record["regel"] == {"id": "r2", "omschrijving": "regel 2"}
    assert record["uitleg"] == "UNIQUE: regel r2 is van toepassing; uitkomst van r2 " \
                               "(de enige regel die van toepassing is)."


@pytest.mark.parametrize("rules, fragment", [
    ([("[1..", "1")], "regel r1: FEEL '[1..' is niet te lezen"),
    ([("&gt; 1", "today()")], "functie 'today' wordt niet ondersteund"),
    ([("3 &lt;= ? &lt;= 6", "1")], "regel r1: FEEL '3 <= ? <= 6' is niet te lezen bij teken 8; zijn de "
                                   "cellen Python (zoals SpiffArena ze schrijft)? Zet dan "
                                   'expressionLanguage="https://www.python.org/" op <definitions>'),
])
def test_feel_that_cannot_run_is_refused_at_validation_naming_the_rule(rules, fragment):
    [message] = problems(table(rules, language=None))
    assert fragment in message


def test_an_empty_input_expression_is_refused():
    [message] = problems(table([("&gt; 1", "1")], language=None, input_expression=""))
    assert "invoer 1 (Leeftijd) heeft geen invoerexpressie" in message


def test_an_expression_language_trede_does_not_run_is_refused_naming_it():
    [message] = problems(table([("&gt; 1", "1")], language="http://groovy.codehaus.org/"))
    assert "expressionLanguage 'http://groovy.codehaus.org/' wordt niet ondersteund" in message


def test_a_python_table_says_so_and_runs_as_python():
    dmn = table([("3 &lt;= ? &lt;= 6", "1"), ("? &gt; 6", "2")], language="https://www.python.org/")
    assert problems(dmn) == [] and run(dmn, {"leeftijd": 4})["bedrag"] == 1


PYTHON_WITHOUT_LANGUAGE = table([("3 &lt;= ? &lt;= 6", '"midden"'), ("? &gt; 6", '"hoog"')],
                                "FIRST", language=None, output="niveau")
WITH_TASK = PROCESS.replace(
    '<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>',
    '<bpmn:userTask id="kijk" name="Uitkomst bekijken"><bpmn:incoming>f2</bpmn:incoming>'
    '<bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>'
    '<bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>'
    '<bpmn:sequenceFlow id="f3" sourceRef="kijk" targetRef="end"/>').replace(
    '<bpmn:sequenceFlow id="f2" sourceRef="beslis" targetRef="end"/>',
    '<bpmn:sequenceFlow id="f2" sourceRef="beslis" targetRef="kijk"/>')


def test_a_stored_deployment_from_before_feel_still_evaluates_python_and_replays(db):
    """A bundle deployed before this change has Python cells and no expressionLanguage; its row
    has dmn_engine NULL (migration dmn_0001), so it is read as it was: Python, SpiffWorkflow's
    engine. A new deployment of the same text is FEEL, where `3 <= ? <= 6` is refused."""
    engine = make_engine(db)
    files = {"proces.bpmn": WITH_TASK.encode(), "tabel.dmn": PYTHON_WITHOUT_LANGUAGE.encode()}
    assert any("is niet te lezen" in str(p) for p in _deploy_problems(engine, files))
    digest = bundle_hash(files)  # verify checks the stored model against it (issue 16)
    with engine.db.begin() as conn:  # what an old deployment looks like after the migration
        deployment_id = conn.execute(deployments.insert().values(
            gemeente="*", content_hash=digest, files=json.dumps(
                {name: text.decode() for name, text in files.items()}),
            deployed_at=engine.clock.now(), deployed_by="system")).inserted_primary_key[0]
        conn.execute(process_versions.insert().values(
            deployment_id=deployment_id, process_id="Proces", gemeente="*", version=1, content_hash=digest))
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan", "Proces", {"leeftijd": 4})
    assert engine.task_data(only_task(engine, case.id).task_id)["niveau"] == "midden"
    assert engine.verify(case.id).ok


def _deploy_problems(engine, files):
    try:
        engine.deploy(files)
    except BundleInvalid as exc:
        return exc.problems
    return []


def test_a_new_deployment_is_marked_for_the_standard_engine(db):
    engine = make_engine(db)
    dmn = table(AGES, language=None, output="groep")
    files = {"proces.bpmn": WITH_TASK.encode(), "tabel.dmn": dmn.encode()}
    engine.deploy(files)
    with engine.db.connect() as conn:
        assert set(conn.execute(deployments.select().with_only_columns(deployments.c.dmn_engine)).scalars()) \
            == {"dmn-standard"}
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan", "Proces", {"leeftijd": 70})
    data = engine.task_data(only_task(engine, case.id).task_id)
    assert data["groep"] == "AOW" and data["beslissing_Tabel"]["gebruikt"] == ["r3"]
    assert engine.verify(case.id).ok


def test_durations_and_date_times_are_stored_as_iso_text():
    rules = [("&gt; 0", 'duration("P1Y6M")'), ("&lt;= 0", 'duration("P2DT3H")')]
    assert run(table(rules, language=None), {"leeftijd": 5})["bedrag"] == "P1Y6M"
    assert run(table(rules, language=None), {"leeftijd": 0})["bedrag"] == "P2DT3H"
    dated = table([("&gt; 0", 'date and time("2025-01-01T10:00:00")')], language=None)
    assert run(dated, {"leeftijd": 1})["bedrag"] == "2025-01-01T10:00:00"


def test_two_columns_may_test_the_same_input():
    dmn = table([("&gt; 18", "1")], language=None).replace(
        '<output id="out1"',
        '<input id="in2" label="Nog eens"><inputExpression id="ie2" typeRef="number"><text>leeftijd</text>'
        '</inputExpression></input><output id="out1"').replace(
        '<outputEntry id="o1">',
        '<inputEntry id="i1b"><text>&lt; 65</text></inputEntry><outputEntry id="o1">')
    assert run(dmn, {"leeftijd": 30})["bedrag"] == 1 and run(dmn, {"leeftijd": 70})["bedrag"] is None

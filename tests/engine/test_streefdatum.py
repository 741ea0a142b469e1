"""Every user task has a streefdatum (issue 18 item 6): the model's property, else 10 werkdagen.

Working days skip weekends and the public holidays of the Algemene termijnenwet (art. 3), as the
engine's legal terms do; a streefdatum is the organisation's own target, not a legal term.
"""
from __future__ import annotations

from datetime import date, datetime

from engine.models.validation import validate_bundle
from engine.scheduling import streefdatum
from engine.scheduling.termijnen import AMSTERDAM
from tests.engine.helpers import make_engine, model_files, only_task

FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=AMSTERDAM)


def test_working_days_skip_weekends_and_christmas():
    assert streefdatum.target_date("3 werkdagen", FRIDAY) == date(2026, 12, 9)  # Mon, Tue, Wed
    assert streefdatum.target_date(None, FRIDAY) == date(2026, 12, 18)  # the default: 10 werkdagen
    # 22 Dec 2026 (Tue): 23, 24, (25, 26 Christmas, 27 Sunday), 28, 29, 30
    assert streefdatum.target_date("binnen 5 werkdagen", datetime(2026, 12, 22, tzinfo=AMSTERDAM)) \
        == date(2026, 12, 30)
    assert streefdatum.target_date("P2W", FRIDAY) == date(2026, 12, 18)


def test_a_task_without_the_property_gets_ten_working_days(db):
    engine = make_engine(db)  # the clock: Monday 5 January 2026
    case, _ = engine.start_case("woerden", "999990019", "Jan", "evaluatie", {})
    task = only_task(engine, case.id)
    assert task.due_at.astimezone(AMSTERDAM).date() == date(2026, 1, 19)


def test_the_property_sets_it_and_a_wrong_value_is_refused_at_deploy(db):
    source = model_files("evaluatie.bpmn")["evaluatie.bpmn"].decode()
    with_property = source.replace(
        '<bpmn:userTask id="gesprek" name="Evaluatiegesprek voeren">',
        '<bpmn:userTask id="gesprek" name="Evaluatiegesprek voeren"><bpmn:extensionElements>'
        '<spiffworkflow:properties><spiffworkflow:property name="streefdatum" value="{}" />'
        '</spiffworkflow:properties></bpmn:extensionElements>')
    if "xmlns:spiffworkflow" not in with_property:
        namespace = 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
        with_property = with_property.replace("<bpmn:definitions ", "<bpmn:definitions " + namespace, 1)
    wrong = validate_bundle({"evaluatie.bpmn": with_property.replace("{}", "morgen").encode()})
    assert ["streefdatum" in p.message and "'morgen'" in p.message for p in wrong] == [True]
    engine = make_engine(db)
    engine.deploy({"evaluatie.bpmn": with_property.replace("{}", "2 werkdagen").encode()})
    case, _ = engine.start_case("woerden", "999990019", "Jan", "evaluatie", {})
    assert only_task(engine, case.id).due_at.astimezone(AMSTERDAM).date() == date(2026, 1, 7)

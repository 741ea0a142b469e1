"""Legal deadlines as data: Algemene termijnenwet, opschorting, verlenging, escalation (issue 5, item 2)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engine.errors import ConflictError
from engine.scheduling.termijnen import due_date, legal_date, public_holidays
from processes.system_models import load as load_system_models
from tests.engine.helpers import BSN, make_engine


def test_a_term_ending_on_a_saturday_runs_to_monday():
    # Algemene termijnenwet art. 1 lid 1: a term ending on a Saturday, Sunday or recognised
    # holiday runs to the next day that is none of those.
    assert date(2026, 1, 2) + timedelta(weeks=8) == date(2026, 2, 27)  # a Friday: stays
    assert due_date(date(2026, 1, 2), "P8W") == date(2026, 2, 27)
    assert due_date(date(2026, 1, 3), "P8W") == date(2026, 3, 2)  # Saturday 28 Feb -> Monday 2 March


def test_holidays_of_the_algemene_termijnenwet():
    # art. 3 lid 1: Nieuwjaarsdag, Tweede Paas- en Pinksterdag, Kerstdagen, Hemelvaartsdag,
    # Koningsdag and 5 May. Easter 2026 is 5 April.
    holidays = public_holidays(2026)
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25), date(2026, 4, 27),
            date(2026, 5, 5), date(2026, 12, 25), date(2026, 12, 26), date(2026, 1, 1)} == holidays
    # a term ending on Koningsdag (Monday 27 April 2026) runs to Tuesday 28 April
    assert due_date(date(2026, 3, 2), "P8W") == date(2026, 4, 28)
    # Koningsdag on a Sunday is celebrated on Saturday 26 April (2025)
    assert date(2025, 4, 26) in public_holidays(2025)
    # Christmas on Friday 25 Dec 2026: 25, 26 (holiday), 27 (Sunday) -> Monday 28
    assert due_date(date(2026, 10, 30), "P8W") == date(2026, 12, 28)


def test_calendar_months_and_the_amsterdam_date():
    assert due_date(date(2024, 1, 31), "P1M") == date(2024, 2, 29)
    assert legal_date(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == date(2026, 3, 2)  # 00:30 in Amsterdam


def test_suspension_moves_the_deadline_by_the_suspended_days(db):
    """Awb 4:15: the term for the decision is suspended while the applicant supplements the request."""
    engine = make_engine(db)
    case = engine.open_case("ooststellingwerf", BSN, "Jan Jansen", actor="cm1")
    deadline = engine.add_deadline(case.id, "Besluit aanvraag LKS", date(2026, 1, 5), "P8W", actor="cm1",
                                   legal_basis="Awb 4:13, seed 002 art. 7")
    assert deadline.due_date == date(2026, 3, 2)
    engine.suspend_deadline(deadline.id, date(2026, 1, 12), actor="cm1", reason="aanvulling gevraagd")
    with pytest.raises(ConflictError, match="al opgeschort"):
        engine.suspend_deadline(deadline.id, date(2026, 1, 13), actor="cm1", reason="nogmaals")
    resumed = engine.resume_deadline(deadline.id, date(2026, 1, 22), actor="cm1")
    assert resumed.suspended_days == 10
    assert resumed.due_date == date(2026, 3, 12)  # 2 March + 10 days
    extended = engine.extend_deadline(deadline.id, "P2W", actor="tl1", reason="advies UWV")
    assert extended.due_date == date(2026, 3, 26)
    kinds = [e.kind for e in engine.history(case.id)]
    assert kinds[-4:] == ["deadline_set", "deadline_suspended", "deadline_resumed", "deadline_extended"]


def test_a_passed_deadline_creates_one_escalation_task_for_the_teamleider(db):
    engine = make_engine(db)
    load_system_models(engine)
    case = engine.open_case("ooststellingwerf", BSN, "Jan Jansen", actor="cm1")
    deadline = engine.add_deadline(case.id, "Besluit aanvraag LKS", date(2026, 1, 5), "P8W", actor="cm1")
    engine.clock.set(datetime(2026, 3, 2, 22, 0, tzinfo=UTC))  # 23:00 on the last day in Amsterdam
    assert engine.run_due() == 0
    engine.clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # 00:30 the day after
    assert engine.run_due() == 1
    assert engine.run_due() == 0
    tasks = engine.ready_tasks(case_id=case.id)
    assert [(t.title, t.lane) for t in tasks] == [("Verstreken termijn afhandelen", "teamleider")]
    assert engine.case_deadlines(case.id)[0].escalated
    assert deadline.due_date == date(2026, 3, 2)


def test_a_suspended_deadline_does_not_escalate(db):
    engine = make_engine(db)
    load_system_models(engine)
    case = engine.open_case("ooststellingwerf", BSN, "Jan Jansen", actor="cm1")
    deadline = engine.add_deadline(case.id, "Besluit", date(2026, 1, 5), "P8W", actor="cm1")
    engine.suspend_deadline(deadline.id, date(2026, 2, 1), actor="cm1", reason="aanvulling")
    engine.clock.set(datetime(2026, 6, 1, tzinfo=UTC))
    assert engine.run_due() == 0


def test_a_model_sets_and_closes_a_deadline_through_service_tasks(db):
    engine = make_engine(db)
    engine.deploy({"termijn.bpmn": TERMIJN_BPMN.encode()})
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan", "termijn_test",
                                {"ontvangst": date(2026, 1, 5)})
    [deadline] = engine.case_deadlines(case.id)
    assert (deadline.name, deadline.due_date) == ("Besluit op aanvraag", date(2026, 3, 2))
    assert deadline.status == "open"
    engine.complete(engine.ready_tasks(case_id=case.id)[0].task_id, {}, actor="cm1")
    assert engine.case_deadlines(case.id)[0].status == "voldaan"
    assert engine.verify(case.id).ok


TERMIJN_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="termijn_test" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="zet" name="Termijn zetten">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="set_deadline" resultVariable="termijn">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="name" type="str" value="'Besluit op aanvraag'" />
            <spiffworkflow:parameter id="start" type="any" value="ontvangst" />
            <spiffworkflow:parameter id="term" type="str" value="'P8W'" />
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:userTask id="besluiten" name="Besluiten">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:serviceTask id="sluit" name="Termijn sluiten">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="close_deadline" resultVariable="gesloten">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="name" type="str" value="'Besluit op aanvraag'" />
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="zet" />
    <bpmn:sequenceFlow id="f2" sourceRef="zet" targetRef="besluiten" />
    <bpmn:sequenceFlow id="f3" sourceRef="besluiten" targetRef="sluit" />
    <bpmn:sequenceFlow id="f4" sourceRef="sluit" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""
